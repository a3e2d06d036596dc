import {z} from 'zod'
import {describe, expect, it} from 'vitest'

import {refuseAll, type Confirmer} from '../../../src/core/access/confirm.js'
import {listDirectoryTool} from '../../../src/core/tools/list-directory.js'
import {readFileTool} from '../../../src/core/tools/read-file.js'
import {runCommandTool} from '../../../src/core/tools/run-command.js'
import {searchCodeTool} from '../../../src/core/tools/search-code.js'
import {defineTool, fail, ok, runTool, unknownTool, type Tool, type ToolResult} from '../../../src/core/tools/tool.js'
import {writeFileTool} from '../../../src/core/tools/write-file.js'
import {sandbox} from '../../support/sandbox.js'

/** A person at a terminal who answers no. */
const sayNo: Confirmer = {interactive: true, confirm: async () => ({approved: false})}

const echo = defineTool({
  name: 'echo',
  description: 'test tool',
  schema: z.object({text: z.string()}),
  readOnly: true,
  execute: async ({text}) => ok(text),
})

function tool(execute: Tool['execute']): Tool {
  return defineTool({name: 'probe', description: 'test tool', schema: z.object({}), readOnly: true, execute})
}

describe('runTool labels every failure with a kind', () => {
  it.each<[string, Tool, unknown, Confirmer | undefined, ToolResult['kind']]>([
    ['arguments the schema rejects', echo, {text: 3}, undefined, 'invalid_arguments'],
    ['a path that does not exist', readFileTool, {path: 'nope.txt'}, undefined, 'not_found'],
    ['a folder that does not exist', listDirectoryTool, {path: 'nowhere'}, undefined, 'not_found'],
    ['a line range past the end', readFileTool, {path: 'a.txt', start_line: 50}, undefined, 'invalid_arguments'],
    ['a broken regex', searchCodeTool, {pattern: '(', regex: true}, undefined, 'invalid_arguments'],
    ['a secret the policy forbids', readFileTool, {path: '.env'}, undefined, 'denied'],
    ['a write to .git, which the policy forbids', writeFileTool, {path: '.git/config', content: 'x'}, undefined, 'denied'],
    ['a read outside the project nobody could approve (no terminal)', readFileTool, {path: '../outside/secret.txt'}, refuseAll, 'needs_approval'],
    ['a write nobody could approve (no terminal)', writeFileTool, {path: 'new.txt', content: 'x'}, refuseAll, 'needs_approval'],
    ['a read outside the project the person declined', readFileTool, {path: '../outside/secret.txt'}, sayNo, 'denied'],
    ['a command nobody could approve', runCommandTool, {command: 'touch made.txt'}, refuseAll, 'needs_approval'],
    ['a command the policy denies even with --yes', runCommandTool, {command: 'sudo ls'}, undefined, 'denied'],
    ['a tool that throws', tool(async () => Promise.reject(new Error('disk on fire'))), {}, undefined, 'failed'],
    ['a plain failure', tool(async () => fail('probe: nope')), {}, undefined, 'failed'],
    ['a failure the tool labels itself', tool(async () => fail('probe: slow', 'timeout')), {}, undefined, 'timeout'],
  ])('%s', async (_name, subject, args, confirmer, kind) => {
    const box = await sandbox({'a.txt': 'one\n', '.env': 'KEY=1\n'}, {}, undefined, confirmer)
    const result = await runTool(subject, args, box.ctx)
    expect(result.ok).toBe(false)
    expect(result.kind).toBe(kind)
    expect(await box.outsideListing()).toEqual(['secret.txt'])
  })

  it('a success has no kind, and a refusal earlier in the run does not label a later failure', async () => {
    const box = await sandbox({'a.txt': 'one\n'}, {}, undefined, refuseAll)
    expect((await runTool(readFileTool, {path: '../outside/secret.txt'}, box.ctx)).kind).toBe('needs_approval')
    const fine = await runTool(readFileTool, {path: 'a.txt'}, box.ctx)
    expect(fine).toMatchObject({ok: true})
    expect(fine.kind).toBeUndefined()
    expect((await runTool(readFileTool, {path: 'b.txt'}, box.ctx)).kind).toBe('not_found')
  })

  it('an unknown tool is an invalid call', () => {
    expect(unknownTool('rm_rf', ['read_file'])).toEqual({ok: false, kind: 'invalid_arguments', output: 'unknown tool "rm_rf"; available tools: read_file'})
  })
})

describe('summaries for people', () => {
  it.each<[string, Tool, unknown, string]>([
    ['read_file, whole file', readFileTool, {path: 'src/a.ts'}, 'read src/a.ts (3 lines)'],
    ['read_file, a range', readFileTool, {path: 'src/a.ts', start_line: 2, end_line: 3}, 'read src/a.ts, lines 2-3 of 3'],
    ['list_directory', listDirectoryTool, {path: 'src'}, 'listed src: 2 entries'],
    ['search_code', searchCodeTool, {pattern: 'const'}, '3 matches for "const" (2 files searched)'],
  ])('%s', async (_name, subject, args, summary) => {
    const box = await sandbox({'src/a.ts': 'const a = 1\nconst b = 2\nexport {a, b}\n', 'src/b.ts': 'const c = 3\n'})
    const result = await runTool(subject, args, box.ctx)
    expect(result).toMatchObject({ok: true, summary})
    // The model still gets the whole output, not the summary.
    expect(result.output).not.toBe(summary)
  })

  it('keeps a summary to one line', async () => {
    const box = await sandbox()
    const result = await runTool(
      tool(async () => ok('body', 'first\n  second')),
      {},
      box.ctx,
    )
    expect(result.summary).toBe('first second')
  })
})
