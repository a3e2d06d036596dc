import {describe, expect, it} from 'vitest'
import {isBinary, listProjectFiles, walkProject} from '../../../src/core/tools/project-files.js'
import {sandbox} from '../../support/sandbox.js'

const project = {
  '.gitignore': 'build/\n*.tmp\n',
  'b.txt': 'x',
  'a/z.ts': 'x',
  'a/y/deep.ts': 'x',
  'a/.gitignore': 'generated.ts\n',
  'a/generated.ts': 'x',
  'build/out.js': 'x',
  'c.tmp': 'x',
  'node_modules/m/index.js': 'x',
  '.git/config': 'x',
}

async function collect(root: string, options: Parameters<typeof walkProject>[1]): Promise<string[]> {
  const out: string[] = []
  for await (const entry of walkProject(root, options)) out.push(entry.rel + (entry.type === 'dir' ? '/' : ''))
  return out
}

describe('walkProject', () => {
  it.each([
    ['depth-first tree order', {}, ['.gitignore', 'a/', 'a/.gitignore', 'a/y/', 'a/y/deep.ts', 'a/z.ts', 'b.txt']],
    ['breadth-first order', {order: 'breadth' as const}, ['.gitignore', 'a/', 'b.txt', 'a/.gitignore', 'a/y/', 'a/z.ts', 'a/y/deep.ts']],
    ['a depth limit', {maxDepth: 1}, ['.gitignore', 'a/', 'b.txt']],
    ['a glob', {glob: 'a/**/*.ts'}, ['a/y/deep.ts', 'a/z.ts']],
    ['a basename glob', {glob: '*.ts'}, ['a/y/deep.ts', 'a/z.ts']],
    ['files only', {filesOnly: true, maxEntries: 3}, ['.gitignore', 'a/.gitignore', 'a/y/deep.ts']],
    ['a start directory', {dir: 'a'}, ['a/.gitignore', 'a/y/', 'a/y/deep.ts', 'a/z.ts']],
  ])('walks in %s', async (_, options, expected) => {
    const box = await sandbox(project)
    expect(await collect(box.root, options)).toEqual(expected)
  })

  it('reports truncation', async () => {
    const box = await sandbox(project)
    const {entries, truncated} = await listProjectFiles(box.root, {maxEntries: 2})
    expect(entries.map((e) => e.rel)).toEqual(['.gitignore', 'a'])
    expect(truncated).toBe(true)
  })

  it('stops when the signal is aborted', async () => {
    const box = await sandbox(project)
    const controller = new AbortController()
    controller.abort()
    await expect(collect(box.root, {signal: controller.signal})).rejects.toThrow()
  })
})

describe('isBinary', () => {
  it.each([
    ['plain text', Buffer.from('hello\nworld\n'), false],
    ['UTF-8 text', Buffer.from('héllo → wörld ✓\n'), false],
    ['empty', Buffer.alloc(0), false],
    ['a NUL byte', Buffer.from('abc\0def'), true],
    ['Latin-1 text', Buffer.from('caf\xe9 cr\xe8me\n', 'latin1'), false],
    ['control-heavy bytes', Buffer.from([0xff, 0x01, 0x02, 0x03, 0xfe, 0x04, 0x05, 0x06]), true],
    ['UTF-8 cut mid-character at 8 KB', Buffer.concat([Buffer.alloc(8191, 'a'), Buffer.from('é')]), false],
  ])('%s -> %s', (_, buffer, expected) => {
    expect(isBinary(buffer)).toBe(expected)
  })
})
