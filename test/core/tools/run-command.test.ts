import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {approveAll} from '../../../src/core/access/confirm.js'
import {runCommandTool} from '../../../src/core/tools/run-command.js'
import {runTool} from '../../../src/core/tools/tool.js'
import {commandModes} from '../../support/requirements.js'
import {sandbox} from '../../support/sandbox.js'

describe.each(commandModes('run_command'))('run_command, $mode', ({sandbox: commands}) => {
  /** Runs the tool as the agent would, every "ask" approved (--yes). */
  async function run(args: Record<string, unknown>, limits = {}, signal?: AbortSignal) {
    const box = await sandbox({}, limits, signal, approveAll, commands)
    const started = Date.now()
    const result = await runTool(runCommandTool, args, box.ctx)
    return {box, result, ms: Date.now() - started}
  }

  it.each([
    ['success', 'echo hi', {ok: true, output: 'exit code 0\nhi'}],
    ['a non-zero exit with stderr', 'echo out; echo err >&2; exit 3', {ok: false, output: 'exit code 3\nout\nerr'}],
    ['no output', 'true', {ok: true, output: 'exit code 0\n(no output)'}],
    ['an unknown program', 'definitely-not-a-program-xyz', {ok: false}],
    ['colour codes and progress redraws', "printf '\\033[31mred\\033[0m\\n10%%\\r50%%\\r100%%\\n'", {ok: true, output: 'exit code 0\nred\n100%'}],
  ])('reports %s', async (_, command, expected) => {
    const {result} = await run({command})
    expect(result).toMatchObject(expected)
  })

  it('says command not found with exit code 127', async () => {
    const {result} = await run({command: 'definitely-not-a-program-xyz'})
    expect(result.output).toMatch(/^exit code 127\n.*not found/)
  })

  it('runs in the project root with stdin closed', async () => {
    const {box, result} = await run({command: 'pwd; cat; echo done > made.txt'})
    expect(result.output).toBe(`exit code 0\n${box.root}`)
    expect(await readFile(path.join(box.root, 'made.txt'), 'utf8')).toBe('done\n')
  })

  it('keeps the head and the tail of long output', async () => {
    const {result} = await run({command: 'seq 1 5000'}, {outputChars: 1200})
    const out = result.output
    expect(out.length).toBeLessThanOrEqual(1200)
    expect(out.startsWith('exit code 0\n1\n2\n3\n')).toBe(true)
    expect(out.endsWith('\n4999\n5000')).toBe(true)
    expect(out).toMatch(/\n\[… \d+ lines omitted — rerun piped through grep, head or tail to see them …\]\n/)
  })

  it.each([
    ['timeout_seconds', {command: 'echo start; sleep 10; echo end', timeout_seconds: 1}, {}, 'timed out after 1s'],
    ['the configured cap', {command: 'echo start; sleep 10; echo end', timeout_seconds: 60}, {commandTimeoutMs: 500}, 'timed out after 0.5s'],
  ])('stops the whole process group at %s', async (_, args, limits, status) => {
    const {result, ms} = await run(args, limits)
    expect(result).toEqual({ok: false, kind: 'timeout', output: `${status}\nstart`})
    expect(ms).toBeLessThan(5000)
  })

  it('does not wait for background processes that keep the output open', async () => {
    const {result, ms} = await run({command: 'sleep 10 & echo started'})
    expect(result.output).toBe('exit code 0 (background processes still writing output were stopped)\nstarted')
    expect(ms).toBeLessThan(5000)
  })

  it('stops when the run is cancelled', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 300)
    const {result, ms} = await run({command: 'sleep 10'}, {}, controller.signal)
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/cancelled/)
    expect(ms).toBeLessThan(5000)
  })

  it.each([
    [{command: '   '}, 'run_command: command is empty'],
    [{}, 'run_command: invalid arguments — `command`'],
    [{command: 'echo', timeout_seconds: 0}, 'run_command: invalid arguments — `timeout_seconds`'],
  ])('rejects %j', async (args, message) => {
    const {result} = await run(args)
    expect(result.ok).toBe(false)
    expect(result.output.startsWith(message)).toBe(true)
  })
})
