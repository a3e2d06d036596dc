import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, realpath, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {UNSANDBOXED_COMMANDS} from '../support/requirements.js'

const GIT_PLUGIN = fileURLToPath(new URL('../../plugins/faithh-plugin-git', import.meta.url))

const base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'faithh-plugins-')))
afterAll(() => rm(base, {recursive: true, force: true}))
/** oclif keeps linked and installed plugins under XDG_DATA_HOME: each suite gets its own. */
const env = {
  XDG_DATA_HOME: path.join(base, 'data'),
  XDG_CONFIG_HOME: path.join(base, 'config'),
  XDG_CACHE_HOME: path.join(base, 'cache'),
  FAITHH_TEST_MARKER: path.join(base, 'imported'),
  // The git plugin's commands, unsandboxed on purpose: these tests are about plugins, and pass where no sandbox works.
  ...UNSANDBOXED_COMMANDS,
}

/** A git repository with one uncommitted change, for the git plugin's tools to report. */
async function gitProject(root: string): Promise<void> {
  await rm(path.join(root, '.git'), {recursive: true})
  const git = (...args: string[]) => execFileSync('git', args, {cwd: root})
  git('init', '-q', '-b', 'main')
  git('add', '-A')
  git('-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', 'commit', '-q', '-m', 'start')
  await writeFile(path.join(root, 'src/app.js'), 'export const a = 2\n')
}

const {ollama, project, cli: runCli} = await cliFixture({files: {'src/app.js': 'export const a = 1\n'}, prepare: gitProject})
// Plugins are what oclif loads in a process: these tests run the binary (warnings are said once per process too).
const cli = (args: string[]) => runCli(args, {env})
const toolsOffered = (index: number) => ollama.chats()[index]!.tools!.map((tool) => tool.function.name)

/** A plugin package in the temp folder: package.json (with an oclif section) and its files. */
async function plugin(name: string, faithh: unknown, files: Record<string, string> = {}): Promise<string> {
  const root = path.join(base, name)
  await mkdir(root, {recursive: true})
  await writeFile(path.join(root, 'package.json'), JSON.stringify({name, version: '1.0.0', type: 'module', faithh, oclif: {}}))
  for (const [rel, text] of Object.entries(files)) await writeFile(path.join(root, rel), text)
  return root
}

describe('plugins', () => {
  it('links a plugin: `faithh plugins` lists it and `gen --list` shows its template', async () => {
    const link = await cli(['plugins', 'link', GIT_PLUGIN, '--no-install'])
    expect(link.exitCode, link.stderr).toBe(0)
    expect((await cli(['plugins'])).stdout).toContain('faithh-plugin-git')

    const list = await cli(['gen', '--list'])
    expect(list.exitCode, list.stderr).toBe(0)
    expect(list.stdout).toMatch(/^commit_message\s+plugin faithh-plugin-git\s+Conventional Commits message/m)
    expect(list.stderr).toBe('')
  })

  it('the agent calls a plugin tool, through the same policy; ask offers only its read-only tools', async () => {
    ollama.script([{tool_calls: [{name: 'git_status', arguments: {}}]}, {content: 'src/app.js is modified.'}])
    const ask = await cli(['ask', 'what changed?'])
    expect(ask.exitCode, ask.stderr).toBe(0)
    expect(ask.stdout).toContain('src/app.js is modified.')
    expect(toolsOffered(0)).toEqual(expect.arrayContaining(['read_file', 'git_status', 'git_diff', 'git_log']))
    expect(toolsOffered(0)).not.toContain('git_commit')
    const result = ollama.chats()[1]!.messages.find((m) => m.role === 'tool')!
    expect(result).toMatchObject({tool_name: 'git_status'})
    expect(result.content).toContain(' M src/app.js')
  })

  it('edit offers every plugin tool; a plugin tool that needs a confirmation is refused without a terminal', async () => {
    ollama.requests.length = 0
    ollama.script([{tool_calls: [{name: 'git_commit', arguments: {message: 'bump', all: true}}]}, {content: 'Could not commit.'}])
    const edit = await cli(['edit', 'src/app.js', '-i', 'commit this'])
    expect(toolsOffered(0)).toEqual(expect.arrayContaining(['edit_file', 'git_status', 'git_commit']))
    const result = ollama.chats()[1]!.messages.find((m) => m.role === 'tool')!
    expect(result.content).toContain("git_commit: not run — running `git add -A && git commit -m 'bump'` needs confirmation")
    expect(edit.exitCode).toBe(1) // no change made
    expect(execFileSync('git', ['log', '--format=%s'], {cwd: project.root, encoding: 'utf8'})).toBe('start\n')
  })

  it("generates from a plugin's template", async () => {
    const gen = await cli(['gen', 'commit_message', '--var', 'type=fix', '--var', 'subject=retry on timeout', '--yes'])
    expect(gen.exitCode, gen.stderr).toBe(0)
    expect(await readFile(path.join(project.root, '.gitmessage'), 'utf8')).toBe('fix: retry on timeout\n')
  })

  it('skips broken plugins with one warning each, never crashes, and imports tools only for agent commands', async () => {
    const broken = [
      await plugin('bad-manifest', {tools: 42}),
      await plugin('escapes', {templates: '../../etc'}),
      await plugin(
        'throws-on-import',
        {tools: './tools.js'},
        {
          'tools.js': "import {writeFileSync} from 'node:fs'\nwriteFileSync(process.env.FAITHH_TEST_MARKER, 'imported')\nthrow new Error('boom at import')\n",
        },
      ),
      await plugin(
        'bad-shapes',
        {tools: './tools.js'},
        {
          'tools.js':
            'export default ({z, ok}) => [\n' +
            "  {name: 'no_schema', description: 'x', readOnly: true, schema: {}, execute: async () => ok('x')},\n" +
            "  {name: 'read_file', description: 'shadowing a built-in', readOnly: true, schema: z.object({}), execute: async () => ok('x')},\n" +
            "  {name: 'shape_ok', description: 'Says ok.', readOnly: true, schema: z.object({}), execute: async () => ok('ok from shape_ok')},\n" +
            ']\n',
        },
      ),
      await plugin('not-a-list', {tools: './tools.js'}, {'tools.js': 'export default 42\n'}),
    ]
    for (const root of broken) {
      const link = await cli(['plugins', 'link', root, '--no-install'])
      expect(link.exitCode, link.stderr).toBe(0)
    }

    const version = await cli(['--version'])
    expect(version.exitCode).toBe(0)
    expect(version.stderr).toBe('')
    const list = await cli(['gen', '--list'])
    expect(list.exitCode, list.stderr).toBe(0)
    expect(list.stdout).toContain('commit_message')
    expect(list.stderr).toContain('warning: plugin bad-manifest skipped: bad "faithh" entry in its package.json (faithh.tools:')
    expect(list.stderr).toContain('warning: plugin escapes skipped: faithh.templates "../../etc" points outside the plugin\'s folder')
    expect(list.stderr).not.toContain('throws-on-import')
    expect(existsSync(env.FAITHH_TEST_MARKER!)).toBe(false) // tool modules are not imported for gen, --version or --help

    ollama.requests.length = 0
    ollama.script([{tool_calls: [{name: 'shape_ok', arguments: {}}]}, {content: 'done'}])
    const ask = await cli(['ask', 'anything'])
    expect(ask.exitCode, ask.stderr).toBe(0)
    expect(existsSync(env.FAITHH_TEST_MARKER!)).toBe(true)
    const warnings = ask.stderr.split('\n').filter((line) => line.startsWith('warning:'))
    expect(warnings).toEqual([
      // Discovery problems first, then loading problems, each in plugin-name order.
      expect.stringContaining('plugin bad-manifest skipped'),
      expect.stringContaining('plugin escapes skipped'),
      expect.stringMatching(/^warning: plugin bad-shapes: tool no_schema skipped: schema must be a zod 4 object schema/),
      'warning: plugin bad-shapes: tool read_file skipped: the name is already taken',
      'warning: plugin not-a-list skipped: its tools module must export default an array of tools or a function returning one',
      'warning: plugin throws-on-import skipped: its tools module failed to load (boom at import)',
    ])
    expect(toolsOffered(0)).toEqual(expect.arrayContaining(['git_status', 'shape_ok']))
    expect(toolsOffered(0).filter((name) => name === 'read_file')).toHaveLength(1)
    expect(ollama.chats()[1]!.messages.find((m) => m.role === 'tool')!.content).toBe('ok from shape_ok')
  })
})
