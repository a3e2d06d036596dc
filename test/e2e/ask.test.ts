import {execa} from 'execa'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {CLI_BIN} from '../support/cli.js'
import {cliFixture} from '../support/cli-fixture.js'
import {makeProject} from '../support/fixture.js'

// What only the process shows: stdout against stderr, no terminal, Ctrl-C, and the exit code the
// shell sees. What the agent does with the model's replies, and the exit codes that follow from
// them (3, 4, 5), is tested in process, in test/commands/ask.test.ts.
const {ollama, project, cli} = await cliFixture({
  ollama: {models: [{name: 'qwen2.5-coder:7b', contextLength: 32_768}]},
  files: {'src/math.ts': 'export function add(a: number, b: number): number {\n  return a + b\n}\n', 'README.md': '# demo\n'},
})

const ask = (args: string[]) => cli(['ask', ...args])

describe('faithh ask as a process', () => {
  it('refuses a read outside the project without a terminal, tells the model why, and exits 6', async () => {
    ollama.script([{tool_calls: [{name: 'read_file', arguments: {path: '/etc/hostname'}}]}, {content: 'I could not read it.'}])
    const result = await ask(['what is the hostname?'])

    expect(result.exitCode).toBe(6)
    expect(result.stdout).toContain('I could not read it.')
    const toolMessage = ollama.chats()[1]!.messages.find((m) => m.role === 'tool')!
    expect(toolMessage.content).toContain('outside the project')
    expect(toolMessage.content).toContain('--yes')
  })

  it('prints every event as a JSON line with --json', async () => {
    ollama.script([{tool_calls: [{name: 'read_file', arguments: {path: 'README.md'}}]}, {content: 'A demo project.'}])
    const result = await ask(['what is this?', '--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['start', 'tool_call', 'tool_result', 'usage', 'final']))
    expect(events.at(-1)).toMatchObject({type: 'final', text: 'A demo project.', steps: 2})
    expect(events.find((e) => e.type === 'tool_result')).toMatchObject({name: 'read_file', ok: true})
  })

  it('stops cleanly on Ctrl-C while the model is answering', async () => {
    ollama.script([{content: 'slow', delayMs: 10_000}])
    const child = execa('node', [CLI_BIN, 'ask', 'hi'], {cwd: project.root, env: {OLLAMA_HOST: ollama.url, NO_COLOR: '1'}, reject: false, stdin: 'ignore'})
    // Wait until the chat request has reached the server, then interrupt.
    for (let i = 0; i < 100 && ollama.chats().length === 0; i++) await new Promise((r) => setTimeout(r, 50))
    const sent = Date.now()
    child.kill('SIGINT')
    const result = await child
    expect(Date.now() - sent).toBeLessThan(3000)
    expect(result.exitCode).toBe(130)
    expect(result.stderr).toContain('cancelled')
  })
})

describe('configuration errors', () => {
  it('names the file, the key and what was expected', async () => {
    await using bad = await makeProject({'.faithh/config.json': JSON.stringify({numCtx: 'big', modle: 'x'})})
    const result = await cli(['ask', 'hi'], {cwd: bad.root})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(path.join(bad.root, '.faithh/config.json'))
    expect(result.stderr).toContain('numCtx')
    expect(result.stderr).toMatch(/expected number/)
    expect(result.stderr).toContain('unknown key "modle"')
  })
})
