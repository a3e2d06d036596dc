import {describe, expect, it} from 'vitest'
import {readFileTool} from '../../../src/core/tools/read-file.js'
import {runTool} from '../../../src/core/tools/tool.js'
import {refuseAll} from '../../../src/core/access/confirm.js'
import {lines, sandbox} from '../../support/sandbox.js'

describe('read_file', () => {
  it('prints lines with right-aligned numbers', async () => {
    const box = await sandbox({'a.txt': lines(10)})
    const result = await runTool(readFileTool, {path: 'a.txt'}, box.ctx)
    expect(result.ok).toBe(true)
    expect(result.output.split('\n').slice(0, 2)).toEqual([' 1| line 1', ' 2| line 2'])
    expect(result.output.split('\n').at(-1)).toBe('10| line 10')
  })

  it('shows a range and says where it is in the file', async () => {
    const box = await sandbox({'a.txt': lines(5)})
    const result = await runTool(readFileTool, {path: 'a.txt', start_line: 2, end_line: 3}, box.ctx)
    expect(result).toEqual({ok: true, output: '2| line 2\n3| line 3\n[lines 2-3 of 5]', summary: 'read a.txt, lines 2-3 of 5'})
  })

  it('accepts line numbers sent as strings', async () => {
    const box = await sandbox({'a.txt': lines(5)})
    const result = await runTool(readFileTool, {path: 'a.txt', start_line: '5'}, box.ctx)
    expect(result.output).toBe('5| line 5\n[lines 5-5 of 5]')
  })

  it('shows CRLF files without carriage returns', async () => {
    const box = await sandbox({'w.txt': 'one\r\ntwo\r\n'})
    expect((await runTool(readFileTool, {path: 'w.txt'}, box.ctx)).output).toBe('1| one\n2| two')
  })

  it.each([
    ['output characters', {outputChars: 600}],
    ['read bytes', {readBytes: 300}],
  ])('truncates at the %s limit with a note saying how to continue', async (_, limits) => {
    const box = await sandbox({'big.txt': lines(200)}, limits)
    const first = await runTool(readFileTool, {path: 'big.txt'}, box.ctx)
    const note = /\[truncated at line (\d+) of 200 — call read_file with start_line=(\d+) to continue\]$/.exec(first.output)
    expect(note).not.toBeNull()
    const last = Number(note![1])
    expect(Number(note![2])).toBe(last + 1)
    expect(first.output).toContain(`${last}| line ${last}\n[truncated`)

    const next = await runTool(readFileTool, {path: 'big.txt', start_line: last + 1}, box.ctx)
    expect(next.output).toMatch(new RegExp(`^ *${last + 1}\\| line ${last + 1}\n`))
  })

  it('refuses binary files', async () => {
    const box = await sandbox({'img.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02])})
    expect(await runTool(readFileTool, {path: 'img.png'}, box.ctx)).toEqual({
      ok: false,
      kind: 'failed',
      output: 'read_file: img.png is a binary file (7 bytes); not shown',
    })
  })

  it('points a directory at list_directory', async () => {
    const box = await sandbox({'src/a.ts': 'x'})
    const result = await runTool(readFileTool, {path: 'src'}, box.ctx)
    expect(result.ok).toBe(false)
    expect(result.output).toBe('read_file: src is a directory; use list_directory to see its contents')
  })

  it.each([
    ['a near name in the same directory', 'src/x.ts', 'src/x.ts does not exist. Did you mean src/x.tsx?'],
    ['a case slip', 'src/readme.MD', 'src/readme.MD does not exist. Did you mean src/README.md?'],
    ['the same name in another directory', 'lib/util.ts', 'lib/util.ts does not exist (directory lib/ does not exist either). Did you mean src/deep/util.ts?'],
  ])('suggests %s for a missing file', async (_, path, message) => {
    const box = await sandbox({'src/x.tsx': 'x', 'src/README.md': 'x', 'src/deep/util.ts': 'x'})
    expect(await runTool(readFileTool, {path}, box.ctx)).toEqual({ok: false, kind: 'not_found', output: `read_file: ${message}`})
  })

  it('says so when nothing is similar', async () => {
    const box = await sandbox({'a.txt': 'x'})
    const result = await runTool(readFileTool, {path: 'zzzzzz.go'}, box.ctx)
    expect(result.output).toBe('read_file: zzzzzz.go does not exist. Use list_directory or search_code to find the right path.')
  })

  it.each([
    [{path: 'a.txt', start_line: 9}, 'read_file: start_line 9 is past the end of a.txt (5 lines)'],
    [{path: 'a.txt', start_line: 3, end_line: 2}, 'read_file: end_line 2 is before start_line 3'],
  ])('rejects an impossible range %j', async (args, message) => {
    const box = await sandbox({'a.txt': lines(5)})
    expect(await runTool(readFileTool, args, box.ctx)).toEqual({ok: false, kind: 'invalid_arguments', output: message})
  })

  it.each([
    [{}, '`path`'],
    [{path: 5}, '`path`'],
    [{path: 'a.txt', start_line: 0}, '`start_line`'],
    [{path: 'a.txt', start_line: 'x'}, '`start_line`'],
  ])('returns a validation message for %j', async (args, field) => {
    const box = await sandbox({'a.txt': 'x'})
    const result = await runTool(readFileTool, args, box.ctx)
    expect(result.ok).toBe(false)
    expect(result.output).toContain('read_file: invalid arguments')
    expect(result.output).toContain(field)
  })

  it('reports an empty file', async () => {
    const box = await sandbox({'e.txt': ''})
    expect(await runTool(readFileTool, {path: 'e.txt'}, box.ctx)).toEqual({ok: true, output: 'e.txt is empty'})
  })

  it.each(['../outside/secret.txt', '/etc/passwd'])('refuses %s outside the root unless the user approves', async (path) => {
    const box = await sandbox({}, {}, undefined, refuseAll)
    const result = await runTool(readFileTool, {path}, box.ctx)
    expect(result.ok).toBe(false)
    expect(result.output).toContain('is outside the project')
    expect(result.output).toContain('no terminal')
    expect(result.output).not.toContain('top secret')
  })
})
