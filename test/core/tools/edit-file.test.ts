import {chmod, readdir, readFile, stat, symlink} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {editFileTool} from '../../../src/core/tools/edit-file.js'
import {runTool} from '../../../src/core/tools/tool.js'
import {sandbox} from '../../support/sandbox.js'

const source = [
  'import {x} from "./x.js"',
  '',
  'export function add(a: number, b: number): number {',
  '  const sum = a + b',
  '  return sum',
  '}',
  '',
  'export function sub(a: number, b: number): number {',
  '  return a - b',
  '}',
  '',
].join('\n')

async function edit(files: Record<string, string | Uint8Array>, args: Record<string, unknown>) {
  const box = await sandbox(files)
  const result = await runTool(editFileTool, {path: 'f.ts', ...args}, box.ctx)
  const after = await readFile(path.join(box.root, 'f.ts')).catch(() => undefined)
  return {box, result, after: after?.toString('latin1')}
}

describe('edit_file', () => {
  it('replaces the one match and reports the line range', async () => {
    const {result, after} = await edit(
      {'f.ts': source},
      {old_text: '  const sum = a + b\n  return sum', new_text: '  // add\n  const sum = a + b\n  return sum'},
    )
    expect(result).toEqual({ok: true, output: 'edited f.ts: replaced lines 4-5; new text is at lines 4-6'})
    expect(after).toBe(source.replace('  const sum', '  // add\n  const sum'))
  })

  it('reports a deletion', async () => {
    const {result, after} = await edit({'f.ts': 'a\nb\nc\n'}, {old_text: 'b\n', new_text: ''})
    expect(result.output).toBe('edited f.ts: removed text at line 2')
    expect(after).toBe('a\nc\n')
  })

  it('inserts replacement patterns like $& literally', async () => {
    const {after} = await edit({'f.ts': 'price\n'}, {old_text: 'price', new_text: "cost = '$&$1'"})
    expect(after).toBe("cost = '$&$1'\n")
  })

  it('preserves CRLF line endings byte for byte', async () => {
    const {result, after} = await edit({'f.ts': 'one\r\ntwo\r\nthree\r\nfour\r\n'}, {old_text: 'two\nthree', new_text: '2\n2.5\n3'})
    expect(result.ok).toBe(true)
    expect(after).toBe('one\r\n2\r\n2.5\r\n3\r\nfour\r\n')
  })

  it('leaves a lone-LF line in a mixed file alone', async () => {
    const {after} = await edit({'f.ts': 'a\r\nb\nc\r\n'}, {old_text: 'b', new_text: 'B'})
    expect(after).toBe('a\r\nB\nc\r\n')
  })

  it('keeps a UTF-8 byte order mark and the file mode', async () => {
    const box = await sandbox({'f.sh': '\uFEFFecho a\n'})
    await chmod(path.join(box.root, 'f.sh'), 0o750)
    await runTool(editFileTool, {path: 'f.sh', old_text: 'echo a', new_text: 'echo b'}, box.ctx)
    expect(await readFile(path.join(box.root, 'f.sh'), 'utf8')).toBe('\uFEFFecho b\n')
    expect((await stat(path.join(box.root, 'f.sh'))).mode & 0o777).toBe(0o750)
    expect((await readdir(box.root)).filter((name) => name !== '.faithh')).toEqual(['f.sh'])
  })

  it('lists the lines of every match when old_text is ambiguous', async () => {
    const {result, after} = await edit({'f.ts': 'foo\nbar\nfoo\nbar\nfoo\n'}, {old_text: 'foo', new_text: 'baz'})
    expect(result).toEqual({
      ok: false,
      kind: 'failed',
      output: 'edit_file: old_text matched 3 places in f.ts (lines 1, 3, 5); include more surrounding lines to pick one, or set replace_all=true',
    })
    expect(after).toBe('foo\nbar\nfoo\nbar\nfoo\n')
  })

  it.each([true, 'true'])('replaces every match with replace_all=%j', async (replaceAll) => {
    const {result, after} = await edit({'f.ts': 'foo\nbar\nfoo\nbar\nfoo\n'}, {old_text: 'foo', new_text: 'baz', replace_all: replaceAll})
    expect(result.output).toBe('edited f.ts: replaced 3 occurrences (lines 1, 3, 5)')
    expect(after).toBe('baz\nbar\nbaz\nbar\nbaz\n')
  })

  it('shows the closest region with line numbers when old_text is not found', async () => {
    const {result, after} = await edit({'f.ts': source}, {old_text: '  const total = a + b\n  return total', new_text: 'x'})
    expect(result.ok).toBe(false)
    expect(result.output).toBe(
      [
        'edit_file: old_text not found in f.ts. Most similar text is at lines 4-5 (first difference at line 4):',
        '3| export function add(a: number, b: number): number {',
        '4|   const sum = a + b',
        '5|   return sum',
        '6| }',
        'Copy the current text exactly into old_text and retry.',
      ].join('\n'),
    )
    expect(after).toBe(source)
  })

  it('applies old_text that matches once whitespace is ignored, re-indenting the replacement, and says so', async () => {
    const {result, after} = await edit({'f.ts': source}, {old_text: 'const sum = a + b\nreturn sum  ', new_text: 'return a + b'})
    expect(result).toEqual({
      ok: true,
      output:
        'edited f.ts: old_text was not found exactly; it matched lines 4-5 ignoring indentation and trailing whitespace (new_text re-indented to fit); new text is at line 4.',
    })
    expect(after).toBe(source.replace('  const sum = a + b\n  return sum', '  return a + b'))
  })

  it('points at a region that matches once whitespace is ignored but only in part of a line, without applying it', async () => {
    const {result, after} = await edit({'f.ts': source}, {old_text: 'sum =  a + b\nreturn sum', new_text: 'return a + b'})
    expect(result.ok).toBe(false)
    expect(result.output).toBe(
      [
        'edit_file: old_text not found exactly in f.ts, but lines 4-5 match if whitespace is ignored:',
        '4|   const sum = a + b',
        '5|   return sum',
        'Copy those lines exactly (same indentation) into old_text and retry.',
      ].join('\n'),
    )
    expect(after).toBe(source)
  })

  it('lists whitespace-insensitive matches when there are several', async () => {
    const {result} = await edit({'f.ts': 'if (x) {\n  go()\n}\nif (x) {\n    go()\n}\n'}, {old_text: 'if (x) {\ngo()', new_text: ''})
    expect(result.output).toBe(
      'edit_file: old_text not found exactly in f.ts; ignoring whitespace and indentation it matches 2 places (lines 1, 4), so none was changed. Copy the exact text of one, with more surrounding lines.',
    )
  })

  it('explains read_file line-number prefixes pasted into old_text', async () => {
    const {result} = await edit({'f.ts': source}, {old_text: '4|   const sum = a + b\n5|   return sum', new_text: ''})
    expect(result.output).toContain('it contains read_file line-number prefixes')
  })

  it('says when nothing is similar', async () => {
    const {result} = await edit({'f.ts': source}, {old_text: 'qqqq zzzz wwww', new_text: ''})
    expect(result.output).toBe(
      'edit_file: old_text not found in f.ts, and no similar text either. Use read_file to see the current content and copy it exactly.',
    )
  })

  it.each([
    [{old_text: '', new_text: 'x'}, 'edit_file: old_text is empty'],
    [{old_text: 'a', new_text: 'a'}, 'edit_file: old_text and new_text are the same'],
    [{old_text: 'a'}, 'edit_file: invalid arguments — `new_text`'],
    [{old_text: 'a', new_text: 'b', replace_all: 'yes'}, 'edit_file: invalid arguments — `replace_all`'],
  ])('rejects %j', async (args, message) => {
    const {result, after} = await edit({'f.ts': 'a\n'}, args)
    expect(result.ok).toBe(false)
    expect(result.output.startsWith(message)).toBe(true)
    expect(after).toBe('a\n')
  })

  it('suggests write_file for a missing file', async () => {
    const {result} = await edit({}, {old_text: 'a', new_text: 'b'})
    expect(result.output).toBe('edit_file: f.ts does not exist. Use list_directory or search_code to find the right path. To create a file use write_file.')
  })

  it('refuses a binary file', async () => {
    const {result} = await edit({'f.ts': Buffer.from([0x61, 0x00, 0x62])}, {old_text: 'a', new_text: 'b'})
    expect(result).toEqual({ok: false, kind: 'failed', output: 'edit_file: f.ts is a binary file; not edited'})
  })

  it.each([
    ['a relative escape', '../outside/secret.txt'],
    ['a symlinked directory', 'out/secret.txt'],
  ])('refuses %s and changes nothing outside', async (_, target) => {
    const box = await sandbox()
    await symlink(box.outside, path.join(box.root, 'out'))
    const result = await runTool(editFileTool, {path: target, old_text: 'top', new_text: 'no'}, box.ctx)
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/outside the (project|write roots)/)
    expect(await readFile(path.join(box.outside, 'secret.txt'), 'utf8')).toBe('top secret\n')
    expect(await box.outsideListing()).toEqual(['secret.txt'])
  })
})
