import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {approveAll, refuseAll, type Confirmer} from '../../../src/core/access/confirm.js'
import {listTemplates} from '../../../src/core/templates/catalog.js'
import {resolveVariables} from '../../../src/core/templates/variables.js'
import {renderText} from '../../../src/core/templates/render.js'
import {pluginApi, runTool, type Tool, type ToolContext} from '../../../src/index.js'
import type {SandboxConfig} from '../../../src/core/sandbox/config.js'
import {testAccess} from '../../../test/support/access.js'
import {commandModes} from '../../../test/support/requirements.js'
import {sandbox} from '../../../test/support/sandbox.js'
import gitTools, {quote} from '../tools.js'

const PLUGIN_ROOT = fileURLToPath(new URL('..', import.meta.url))
const tools = new Map((await gitTools(pluginApi)).map((tool: Tool) => [tool.name, tool]))
const tool = (name: string) => tools.get(name)!

const git = (root: string, ...args: string[]) => execFileSync('git', args, {cwd: root, encoding: 'utf8'})

/** A real repository with one commit and one uncommitted change. */
async function repo(confirmer: Confirmer = approveAll, commands: Partial<SandboxConfig> = {}): Promise<{root: string; ctx: ToolContext}> {
  const box = await sandbox({'src/app.js': 'export const a = 1\n', 'README.md': '# demo\n'})
  git(box.root, 'init', '-q', '-b', 'main')
  git(box.root, 'config', 'user.email', 'dev@example.com')
  git(box.root, 'config', 'user.name', 'Dev')
  git(box.root, 'add', '-A')
  git(box.root, 'commit', '-q', '-m', 'first commit')
  await box.write('src/app.js', 'export const a = 2\n')
  return {root: box.root, ctx: {...box.ctx, access: testAccess(box.root, confirmer, commands)}}
}

describe('faithh-plugin-git tools', () => {
  it('declares the read-only tools as read-only and git_commit as not', () => {
    expect([...tools.values()].map((t) => [t.name, t.readOnly])).toEqual([
      ['git_status', true],
      ['git_diff', true],
      ['git_log', true],
      ['git_commit', false],
    ])
  })

  it('git_status, git_diff and git_log report the repository', async () => {
    const {ctx} = await repo(refuseAll) // read-only git commands are allowed by the policy: nothing to ask
    const status = await runTool(tool('git_status'), {}, ctx)
    expect(status).toMatchObject({ok: true})
    expect(status.output).toContain(' M src/app.js')

    const diff = await runTool(tool('git_diff'), {path: 'src/app.js'}, ctx)
    expect(diff.output).toContain('-export const a = 1')
    expect(diff.output).toContain('+export const a = 2')
    expect((await runTool(tool('git_diff'), {staged: true}, ctx)).output).toBe('(nothing staged)')

    const log = await runTool(tool('git_log'), {count: 5}, ctx)
    expect(log.output).toMatch(/^[0-9a-f]{7,} \d{4}-\d{2}-\d{2} Dev: first commit$/)
  })

  it('git_commit asks first: refused without a terminal, nothing committed', async () => {
    const {root, ctx} = await repo(refuseAll)
    const result = await runTool(tool('git_commit'), {message: 'bump a', all: true}, ctx)
    expect(result.ok).toBe(false)
    expect(result.output).toContain('--yes')
    expect(git(root, 'log', '--format=%s')).toBe('first commit\n')
  })

  it.each(commandModes('git_commit'))('git_commit commits when approved, the message taken literally ($mode)', async ({sandbox: commands}) => {
    const {root, ctx} = await repo(approveAll, commands)
    const message = `bump a to 2 $(touch pwned) \`touch pwned2\` it's done`
    const result = await runTool(tool('git_commit'), {message, paths: ['src/app.js']}, ctx)
    expect(result, result.output).toMatchObject({ok: true})
    expect(git(root, 'log', '-1', '--format=%s')).toBe(`${message}\n`)
    expect(existsSync(path.join(root, 'pwned'))).toBe(false)
    expect(existsSync(path.join(root, 'pwned2'))).toBe(false)
  })

  it('never runs what the policy denies: a forbidden path in git add', async () => {
    const {root, ctx} = await repo(approveAll)
    await writeFile(path.join(root, '.env'), 'API_KEY=secret\n')
    const result = await runTool(tool('git_commit'), {message: 'add key', paths: ['.env']}, ctx)
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/^git_commit: not run — .*\.env/)
    expect(git(root, 'log', '--format=%s')).toBe('first commit\n')
  })

  it.each([
    ['plain', 'abc', `'abc'`],
    ['single quote', `it's`, `'it'\\''s'`],
    ['substitution stays text', '$(id)', `'$(id)'`],
  ])('quote: %s', (_name, input, expected) => {
    expect(quote(input)).toBe(expected)
  })
})

describe('commit_message template', () => {
  it('loads from the plugin and renders a Conventional Commits message', async () => {
    const {templates, warnings} = await listTemplates([{origin: 'plugin', plugin: 'faithh-plugin-git', dir: path.join(PLUGIN_ROOT, 'templates')}])
    expect(warnings).toEqual([])
    const template = templates.find((t) => t.name === 'commit_message')!
    const render = async (vars: Record<string, string>) => renderText(template.files[0]!.text, await resolveVariables(template.manifest, vars))

    expect(await render({type: 'fix', scope: 'api', subject: 'retry on timeout'})).toBe('fix(api): retry on timeout\n')
    expect(await render({subject: 'drop v1 routes', body: 'Nobody calls them.', breaking: 'true'})).toBe(
      'feat!: drop v1 routes\n\nNobody calls them.\n\nBREAKING CHANGE: say what breaks and how to migrate.\n',
    )
  })
})
