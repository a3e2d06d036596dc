import {chmod, readdir, readFile, readlink, stat, symlink} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {runTool} from '../../../src/core/tools/tool.js'
import {writeFileTool} from '../../../src/core/tools/write-file.js'
import {sandbox} from '../../support/sandbox.js'

describe('write_file', () => {
  it('creates a file and its missing parent directories', async () => {
    const box = await sandbox()
    const result = await runTool(writeFileTool, {path: 'a/b/c.ts', content: 'one\ntwo\n'}, box.ctx)
    expect(result).toEqual({ok: true, output: 'created a/b/c.ts (2 lines)'})
    expect(await readFile(path.join(box.root, 'a/b/c.ts'), 'utf8')).toBe('one\ntwo\n')
  })

  it('overwrites, keeps the file mode, and leaves no temp files behind', async () => {
    const box = await sandbox()
    const file = await box.write('bin/run.sh', '#!/bin/sh\necho old\n')
    await chmod(file, 0o755)
    const result = await runTool(writeFileTool, {path: 'bin/run.sh', content: '#!/bin/sh\necho new\n'}, box.ctx)
    expect(result).toEqual({ok: true, output: 'overwrote bin/run.sh (2 lines)'})
    expect(await readFile(file, 'utf8')).toBe('#!/bin/sh\necho new\n')
    expect((await stat(file)).mode & 0o777).toBe(0o755)
    expect(await readdir(path.dirname(file))).toEqual(['run.sh'])
  })

  it('keeps CRLF line endings when overwriting a CRLF file with LF content', async () => {
    const box = await sandbox({'win.txt': 'a\r\nb\r\n'})
    const result = await runTool(writeFileTool, {path: 'win.txt', content: 'x\ny\nz\n'}, box.ctx)
    expect(result.output).toBe('overwrote win.txt (3 lines, CRLF line endings kept)')
    expect(await readFile(path.join(box.root, 'win.txt'), 'latin1')).toBe('x\r\ny\r\nz\r\n')
  })

  it('writes through a symlink inside the project to its target', async () => {
    const box = await sandbox({'real.txt': 'old'})
    await symlink('real.txt', path.join(box.root, 'alias.txt'))
    await runTool(writeFileTool, {path: 'alias.txt', content: 'new'}, box.ctx)
    expect(await readFile(path.join(box.root, 'real.txt'), 'utf8')).toBe('new')
    expect(await readlink(path.join(box.root, 'alias.txt'))).toBe('real.txt')
  })

  it('refuses to replace a directory', async () => {
    const box = await sandbox({'src/a.ts': 'x'})
    expect(await runTool(writeFileTool, {path: 'src', content: 'x'}, box.ctx)).toEqual({
      ok: false,
      kind: 'failed',
      output: 'write_file: src is a directory; give a file path inside it',
    })
  })

  it('explains a parent path that is a file', async () => {
    const box = await sandbox({'a.txt': 'x'})
    const result = await runTool(writeFileTool, {path: 'a.txt/b.txt', content: 'x'}, box.ctx)
    expect(result.ok).toBe(false)
    expect(result.output).toContain('a parent path is a file')
  })

  it('returns a validation message when content is missing', async () => {
    const box = await sandbox()
    const result = await runTool(writeFileTool, {path: 'a.txt'}, box.ctx)
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/^write_file: invalid arguments — `content`: .*Expected: \{path: string, content: string\}$/)
  })

  it.each([
    ['a relative escape', (_: string) => '../outside/evil.txt'],
    ['an absolute path outside', (outside: string) => path.join(outside, 'evil.txt')],
    ['/etc', (_: string) => '/etc/faithh-evil.txt'],
    ['a symlinked directory', (_: string) => 'out/evil.txt'],
    ['a dangling symlink', (_: string) => 'dangling'],
  ])('refuses %s and writes nothing outside', async (_, target) => {
    const box = await sandbox()
    await symlink(box.outside, path.join(box.root, 'out'))
    await symlink(path.join(box.outside, 'created-by-link.txt'), path.join(box.root, 'dangling'))
    const before = await box.outsideListing()
    const result = await runTool(writeFileTool, {path: target(box.outside), content: 'pwned'}, box.ctx)
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/outside the (project|write roots)/)
    expect(await box.outsideListing()).toEqual(before)
    await expect(stat('/etc/faithh-evil.txt')).rejects.toThrow()
  })
})
