import {symlink} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {listDirectoryTool} from '../../../src/core/tools/list-directory.js'
import {runTool} from '../../../src/core/tools/tool.js'
import {refuseAll} from '../../../src/core/access/confirm.js'
import {sandbox} from '../../support/sandbox.js'

const project = {
  '.gitignore': 'dist/\n*.log\n',
  'README.md': '# hi\n',
  'debug.log': 'noise',
  'dist/bundle.js': 'x',
  'node_modules/dep/index.js': 'x',
  '.git/HEAD': 'ref: refs/heads/main\n',
  'src/index.ts': 'x',
  'src/core/tool.ts': 'x',
  'src/core/deep/more.ts': 'x',
  'src/gen/.gitignore': '*.ts\n!keep.ts\n',
  'src/gen/out.ts': 'x',
  'src/gen/keep.ts': 'x',
  'empty/.gitkeep': '',
}

describe('list_directory', () => {
  it('prints a gitignore-aware tree (nested rules and negation included), skipping .git and node_modules', async () => {
    const box = await sandbox(project)
    const result = await runTool(listDirectoryTool, {depth: 3}, box.ctx)
    expect(result).toEqual({
      ok: true,
      summary: 'listed the project root: 12 entries',
      output: [
        '.gitignore',
        'README.md',
        'empty/',
        '  .gitkeep',
        'src/',
        '  core/',
        '    deep/ …',
        '    tool.ts',
        '  gen/',
        '    .gitignore',
        '    keep.ts',
        '  index.ts',
      ].join('\n'),
    })
  })

  it('defaults to depth 2 and marks unexpanded directories', async () => {
    const box = await sandbox(project)
    expect((await runTool(listDirectoryTool, {}, box.ctx)).output).toBe(
      ['.gitignore', 'README.md', 'empty/', '  .gitkeep', 'src/', '  core/ …', '  gen/ …', '  index.ts'].join('\n'),
    )
  })

  it.each([
    [{path: 'src', depth: 1}, ['src/', '  core/ …', '  gen/ …', '  index.ts']],
    [{path: 'src/core', depth: 5}, ['src/core/', '  deep/', '    more.ts', '  tool.ts']],
    [{path: 'dist'}, ['dist/', '  bundle.js']],
  ])('lists %j', async (args, expected) => {
    const box = await sandbox(project)
    expect((await runTool(listDirectoryTool, args, box.ctx)).output).toBe(expected.join('\n'))
  })

  it('shows symlinks with their target', async () => {
    const box = await sandbox({'a.txt': 'x'})
    await symlink('a.txt', path.join(box.root, 'b.txt'))
    expect((await runTool(listDirectoryTool, {}, box.ctx)).output).toBe('a.txt\nb.txt -> a.txt')
  })

  it('caps long listings breadth-first and says how many entries are missing', async () => {
    const files: Record<string, string> = {}
    for (let i = 0; i < 30; i++) files[`d${String(i).padStart(2, '0')}/f.txt`] = 'x'
    const box = await sandbox(files, {outputChars: 500})
    const lines = (await runTool(listDirectoryTool, {}, box.ctx)).output.split('\n')
    expect(lines.length).toBe(21)
    expect(lines.slice(0, 2)).toEqual(['d00/ …', 'd01/ …'])
    expect(lines.at(-1)).toBe('[40 more entries not shown — list a subdirectory]')
  })

  it.each([
    [{path: 'README.md'}, 'list_directory: README.md is a file; use read_file to see it'],
    [{path: 'scr'}, 'list_directory: scr does not exist. Did you mean src/?'],
    [{path: '../outside'}, `is outside the project`],
    [{depth: 9}, 'list_directory: invalid arguments — `depth`'],
  ])('fails helpfully for %j', async (args, message) => {
    const box = await sandbox(project, {}, undefined, refuseAll)
    const result = await runTool(listDirectoryTool, args, box.ctx)
    expect(result.ok).toBe(false)
    expect(result.output).toContain(message)
  })

  it('reports an empty directory', async () => {
    const box = await sandbox({'.gitignore': '*.tmp\n', 'a.tmp': 'x'})
    await box.write('.gitignore', '*\n')
    expect(await runTool(listDirectoryTool, {}, box.ctx)).toEqual({
      ok: true,
      output: 'the project root is empty (gitignored files are not listed)',
    })
  })
})
