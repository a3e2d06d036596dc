import {existsSync} from 'node:fs'
import {mkdir, readdir, readFile, rm, stat, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {undoLastRun} from '../../../src/core/changes/undo.js'
import {configSchema} from '../../../src/core/config/schema.js'
import {initProject, type InitOptions} from '../../../src/core/init/init-project.js'
import {loadProjectInstructions} from '../../../src/core/instructions/load.js'
import {testAccess} from '../../support/access.js'
import {makeProject} from '../../support/fixture.js'

const NODE_PROJECT = {
  'package.json': JSON.stringify({name: 'shop', scripts: {test: 'vitest run', build: 'tsc -p .', lint: 'eslint .'}}),
  'package-lock.json': '{}',
  '.gitignore': 'node_modules/\ndist/\n',
  'src/index.ts': 'export {}\n',
  'src/cart.ts': 'export {}\n',
  'src/legacy.js': 'module.exports = {}\n',
  'test/cart.test.ts': '',
  'dist/index.js': '',
  'coverage/lcov.info': '',
}

const PYTHON_PROJECT = {
  'pyproject.toml': '[project]\nname = "svc"\n\n[tool.uv]\ndev-dependencies = ["pytest>=8", "ruff"]\n',
  'uv.lock': '',
  'svc/__init__.py': '',
  'svc/api.py': '',
  'tests/test_api.py': '',
}

const options = (extra: Partial<InitOptions> = {}): InitOptions => ({force: false, dryRun: false, model: 'qwen2.5-coder:7b', ...extra})
const read = (root: string, rel: string) => readFile(path.join(root, rel), 'utf8')

/** Every file under root (but .git) with its bytes and mtime: "changes nothing" means this stays equal. */
async function snapshot(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(path.join(root, dir), {withFileTypes: true})) {
      const rel = path.posix.join(dir, entry.name)
      if (rel === '.git') continue
      if (entry.isDirectory()) await walk(rel)
      else out[rel] = `${(await stat(path.join(root, rel))).mtimeMs}:${await readFile(path.join(root, rel), 'utf8')}`
    }
  }

  await walk('')
  return out
}

describe('faithh init on a Node project', () => {
  it('writes an AGENTS.md of what it found, and a valid config that keeps generated folders out of the index', async () => {
    await using project = await makeProject(NODE_PROJECT)
    const report = await initProject(project.root, options())

    expect(report.files).toEqual([
      {path: 'AGENTS.md', action: 'create'},
      {path: '.faithh/config.json', action: 'create'},
    ])
    expect(await read(project.root, 'AGENTS.md')).toBe(
      [
        '# AGENTS.md',
        '',
        'How to work on this project, for coding agents. faithh puts this file in every prompt: keep it short and true.',
        '',
        '## Commands',
        '- Install: `npm install`',
        '- Test: `npm test`',
        '- Build: `npm run build`',
        '- Lint: `npm run lint`',
        '',
        '## Project',
        '- Languages: TypeScript (3 files), JavaScript (1 file)',
        '- Tools: npm (package-lock.json)',
        '- Layout: `src/` (3 files), `test/` (1 file)',
        '- Generated, do not edit: `coverage/`, `dist/`',
        '',
        '## Working here',
        '- Make the smallest change that does the job, in the style of the code around it.',
        '- Run `npm test` after a change; add or update tests when behaviour changes.',
        '- Files that .gitignore leaves out are generated or local: do not edit them.',
        '',
      ].join('\n'),
    )
    const config = JSON.parse(await read(project.root, '.faithh/config.json'))
    expect(config).toEqual({model: 'qwen2.5-coder:7b', rag: {ignore: ['coverage/**']}}) // dist/ is in .gitignore already
    expect(configSchema.safeParse(config).success).toBe(true)
    expect(report.hints).toContain('coverage/ is not in .gitignore: rag.ignore keeps it out of the index')
    const stateHint = ".faithh/ also holds this machine's state (undo journal, index, sessions): add `.faithh/*` and `!.faithh/config.json` to .gitignore"
    expect(report.hints).toContain(stateHint)

    await using ignoring = await makeProject({...NODE_PROJECT, '.gitignore': 'node_modules/\ndist/\n.faithh/*\n!.faithh/config.json\n'})
    expect((await initProject(ignoring.root, options())).hints).not.toContain(stateHint)
  })

  it('writes an AGENTS.md that fits the default instructions budget whole', async () => {
    await using project = await makeProject(NODE_PROJECT)
    await initProject(project.root, options())
    const {report} = await loadProjectInstructions(testAccess(project.root), {folders: [''], fileNames: ['AGENTS.md'], maxTokens: 1000})
    expect(report).toMatchObject({truncated: false, files: [{path: 'AGENTS.md', truncated: false}]})
    expect(report.tokens).toBeLessThan(300)
  })

  it('changes nothing when run again, with or without --force', async () => {
    await using project = await makeProject(NODE_PROJECT)
    await initProject(project.root, options())
    const before = await snapshot(project.root)

    const again = await initProject(project.root, options())
    expect(again.files.map((file) => file.action)).toEqual(['unchanged', 'unchanged'])
    const forced = await initProject(project.root, options({force: true}))
    expect(forced.files.map((file) => file.action)).toEqual(['unchanged', 'unchanged'])
    expect(await snapshot(project.root)).toEqual(before) // not a byte, not an mtime, not a new undo run
  })
})

describe('faithh init on a Python project', () => {
  it('finds uv, pytest and ruff', async () => {
    await using project = await makeProject(PYTHON_PROJECT)
    const report = await initProject(project.root, options())
    const agents = await read(project.root, 'AGENTS.md')
    expect(agents).toContain('## Commands\n- Install: `uv sync`\n- Test: `uv run pytest`\n- Lint: `uv run ruff check .`\n- Format: `uv run ruff format .`\n')
    expect(agents).toContain('- Languages: Python (3 files)\n- Tools: uv (uv.lock)\n- Layout: `svc/` (2 files), `tests/` (1 file)\n')
    expect(agents).not.toContain('.gitignore leaves out')
    expect(report.hints).toEqual(
      expect.arrayContaining([
        '`uv run pytest` will ask before it runs: to run it without asking, add it to permissions.commands.allow in .faithh/config.json',
        "no .gitignore: list generated and local files there (faithh's tools and index skip what it lists)",
      ]),
    )
  })
})

describe('faithh init never loses what is there', () => {
  it('keeps an existing AGENTS.md without --force; --force replaces it and `faithh undo` brings it back', async () => {
    await using project = await makeProject({...NODE_PROJECT, 'AGENTS.md': '# Ours\nHand-written rules.\n'})
    const kept = await initProject(project.root, options())
    expect(kept.files[0]).toEqual({path: 'AGENTS.md', action: 'keep', reason: 'it exists; --force replaces it (`faithh undo` brings the old one back)'})
    expect(await read(project.root, 'AGENTS.md')).toBe('# Ours\nHand-written rules.\n')

    const replaced = await initProject(project.root, options({force: true}))
    expect(replaced.files[0]!.action).toBe('replace')
    expect(await read(project.root, 'AGENTS.md')).toContain('## Commands')

    await undoLastRun(project.root, {force: false})
    expect(await read(project.root, 'AGENTS.md')).toBe('# Ours\nHand-written rules.\n')
    expect(existsSync(path.join(project.root, '.faithh/config.json'))).toBe(true) // written by the init before: not that run's
  })

  it('adds only missing keys to an existing config with --force: every value there, and keys it does not know, are kept', async () => {
    await using project = await makeProject(NODE_PROJECT)
    await mkdir(path.join(project.root, '.faithh'))
    const mine = {model: 'llama3.1:8b', rag: {chunkTokens: 300}, permissions: {writes: 'allow'}, mcpServers: {git: {command: 'mcp-git'}}}
    await writeFile(path.join(project.root, '.faithh/config.json'), JSON.stringify(mine))

    const kept = await initProject(project.root, options())
    expect(kept.files[1]).toEqual({
      path: '.faithh/config.json',
      action: 'keep',
      reason: 'it exists; --force adds rag.ignore; every value already there is kept',
    })
    expect(JSON.parse(await read(project.root, '.faithh/config.json'))).toEqual(mine)

    const merged = await initProject(project.root, options({force: true}))
    expect(merged.files[1]).toEqual({path: '.faithh/config.json', action: 'merge', reason: 'adds rag.ignore; every value already there is kept'})
    expect(JSON.parse(await read(project.root, '.faithh/config.json'))).toEqual({...mine, rag: {chunkTokens: 300, ignore: ['coverage/**']}})
    expect((await initProject(project.root, options({force: true}))).files[1]!.action).toBe('unchanged')
  })

  it('never extends a list that is already there', async () => {
    await using project = await makeProject(NODE_PROJECT)
    await mkdir(path.join(project.root, '.faithh'))
    await writeFile(path.join(project.root, '.faithh/config.json'), '{"model": "x", "rag": {"ignore": []}}\n')
    expect((await initProject(project.root, options({force: true}))).files[1]!.action).toBe('unchanged')
    expect(await read(project.root, '.faithh/config.json')).toBe('{"model": "x", "rag": {"ignore": []}}\n') // not even reformatted
  })

  it('keeps a config that is not JSON; with --force it stops before writing anything (exit 2)', async () => {
    await using project = await makeProject(NODE_PROJECT)
    await mkdir(path.join(project.root, '.faithh'))
    await writeFile(path.join(project.root, '.faithh/config.json'), '{"model": ')

    const kept = await initProject(project.root, options())
    expect(kept.files[1]).toMatchObject({action: 'keep', reason: expect.stringMatching(/^it exists \(and is not valid JSON/)})
    await rm(path.join(project.root, 'AGENTS.md'))
    await expect(initProject(project.root, options({force: true}))).rejects.toMatchObject({
      code: 'config',
      message: expect.stringContaining('is not valid JSON'),
    })
    expect(existsSync(path.join(project.root, 'AGENTS.md'))).toBe(false)
    expect(await read(project.root, '.faithh/config.json')).toBe('{"model": ')
  })

  it('does not write through a symlinked AGENTS.md, even with --force', async () => {
    await using project = await makeProject({...NODE_PROJECT, 'docs/agents.md': '# Shared\n'})
    await symlink('docs/agents.md', path.join(project.root, 'AGENTS.md'))
    const report = await initProject(project.root, options({force: true}))
    expect(report.files[0]).toEqual({path: 'AGENTS.md', action: 'keep', reason: 'it is a symlink: edit the file it points to'})
    expect(await read(project.root, 'docs/agents.md')).toBe('# Shared\n')
  })

  it('--dry-run reports the contents and writes nothing', async () => {
    await using project = await makeProject(NODE_PROJECT)
    const before = await snapshot(project.root)
    const report = await initProject(project.root, options({dryRun: true}))
    expect(report.dryRun).toBe(true)
    expect(report.files.map((file) => [file.path, file.action])).toEqual([
      ['AGENTS.md', 'create'],
      ['.faithh/config.json', 'create'],
    ])
    expect(report.files[0]!.content).toContain('- Test: `npm test`')
    expect(JSON.parse(report.files[1]!.content!)).toEqual({model: 'qwen2.5-coder:7b', rag: {ignore: ['coverage/**']}})
    expect(await snapshot(project.root)).toEqual(before)
  })
})
