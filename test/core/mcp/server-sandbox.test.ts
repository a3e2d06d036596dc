import {mkdirSync, mkdtempSync, realpathSync, writeFileSync} from 'node:fs'
import {mkdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'

import {configSchema} from '../../../src/core/config/schema.js'
import {resolveMcpServers} from '../../../src/core/mcp/server-config.js'
import {sandboxedStartHint, serverEnvironment, serverGrant, type ServerRun, type StdioLaunch} from '../../../src/core/mcp/server-sandbox.js'
import {sandboxConfigSchema} from '../../../src/core/sandbox/config.js'
import {sandboxFor} from '../../support/mcp.js'

/** How a server's entry and the commands' sandbox config combine, and what a failed start suggests. Pure: no sandbox is started. */

// Made when the file loads: the tables below name these paths.
const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'faithh-server-sandbox-')))
const root = path.join(base, 'project')
const home = path.join(base, 'home')
const outsideScript = path.join(base, 'elsewhere/node_modules/@acme/server/dist/index.js')
for (const dir of [path.dirname(outsideScript), path.join(root, 'tools'), home]) mkdirSync(dir, {recursive: true})
writeFileSync(outsideScript, '')
writeFileSync(path.join(root, 'tools/server.mjs'), '')
afterAll(() => rm(base, {recursive: true, force: true}))

/** npm run puts node_modules/.bin first on PATH, where an npm package may have its own npx: programs as the user finds them. */
const PATH = process.env
  .PATH!.split(path.delimiter)
  .filter((dir) => !dir.includes('node_modules'))
  .join(path.delimiter)

function launchOf(entry: Record<string, unknown>, {userPath = true} = {}): StdioLaunch {
  const [spec] = resolveMcpServers(configSchema.parse({mcpServers: {s: {...(userPath ? {env: {PATH}} : {}), ...entry}}}).mcpServers, {root, env: {}})
  if (spec?.state !== 'ready' || spec.launch.transport !== 'stdio') throw new Error('not a stdio entry')
  return spec.launch
}

function sandboxedRun(launch: StdioLaunch, config: Record<string, unknown> = {}): Extract<ServerRun, {sandboxed: true}> {
  if (!launch.sandbox.enabled) throw new Error('not sandboxed')
  const sandbox = sandboxFor(root, config, {home})
  const grant = serverGrant('s', launch.sandbox, sandbox.config)
  return {sandboxed: true, sandbox, grant, summary: 'sandboxed: no network'}
}

describe("serverGrant: the commands' sandbox, widened by the entry", () => {
  it.each([
    ['nothing in the entry: what commands get', {}, {}, {network: 'none', read: [], write: [], env: [], sources: []}],
    [
      "the config's paths and environment apply to servers too",
      {read: ['/data'], env: ['A']},
      {},
      {network: 'none', read: ['/data'], write: [], env: ['A'], sources: []},
    ],
    [
      'the entry adds to them',
      {read: ['/data']},
      {read: ['~/x'], write: ['~/.npm']},
      {network: 'none', read: ['/data', '~/x'], write: ['~/.npm'], env: [], sources: ['mcpServers.s.sandbox']},
    ],
    ["the entry's network replaces the commands' default", {network: 'loopback'}, {network: 'none'}, {network: 'none', sources: ['mcpServers.s.sandbox']}],
    ["without one in the entry, the commands' network", {network: 'loopback'}, {}, {network: 'loopback'}],
  ])('%s', (_name, config, entry, expected) => {
    const launch = launchOf({command: 'x', sandbox: entry})
    if (!launch.sandbox.enabled) throw new Error('not sandboxed')
    expect(serverGrant('s', launch.sandbox, sandboxConfigSchema.parse(config))).toMatchObject(expected)
  })
})

describe('serverEnvironment', () => {
  const env = {PATH: '/usr/bin', HOME: '/home/me', AWS_SECRET_ACCESS_KEY: 'secret', NPM_TOKEN: 'npm-secret', LANG: 'C.UTF-8'}

  it.each([
    [
      'sandboxed, no network: npm stays offline (npx fails at once instead of retrying)',
      {sandbox: {}},
      {npm_config_offline: 'true'},
      ['AWS_SECRET_ACCESS_KEY', 'NPM_TOKEN'],
    ],
    ['sandboxed with the network: npm as usual', {sandbox: {network: 'full'}}, {}, ['npm_config_offline', 'NPM_TOKEN']],
    ['a variable the entry grants is passed as it is', {sandbox: {network: 'full', env: ['NPM_TOKEN']}}, {NPM_TOKEN: 'npm-secret'}, ['AWS_SECRET_ACCESS_KEY']],
    [
      "the entry's own env wins, npm_config_offline too",
      {sandbox: {}, env: {npm_config_offline: 'false', MINE: '1'}},
      {npm_config_offline: 'false', MINE: '1'},
      [],
    ],
    [
      'unsandboxed ("sandbox": false): faithh\'s basics and its own env only',
      {sandbox: false, env: {MINE: '1'}},
      {MINE: '1'},
      ['npm_config_offline', 'AWS_SECRET_ACCESS_KEY'],
    ],
  ])('%s', (_name, entry, present, absent) => {
    const launch = launchOf({command: 'x', ...entry}, {userPath: false})
    const run: ServerRun = launch.sandbox.enabled ? sandboxedRun(launch) : {sandboxed: false, optedOut: true, summary: ''}
    const result = serverEnvironment(launch, run, env)
    expect(result).toMatchObject({PATH: '/usr/bin', HOME: '/home/me', LANG: 'C.UTF-8', ...present})
    for (const name of absent) expect(result).not.toHaveProperty(name)
  })
})

describe('sandboxedStartHint: what a server that did not start sandboxed may need', () => {
  it.each([
    [
      'npx: its cache writable and the network',
      {command: 'npx', args: ['-y', '@acme/server']},
      'npx needs its cache (~/.npm) writable and, for a package not cached yet, the network — grant that in its entry with "sandbox": {"network": "full", "write": ["~/.npm"]}',
    ],
    ['npm exec, the same', {command: 'npm', args: ['exec', '@acme/server']}, '"sandbox": {"network": "full", "write": ["~/.npm"]}'],
    [
      'npx whose cache is granted: only the network is left',
      {command: 'npx', args: ['-y', 'x'], sandbox: {write: ['~/.npm']}},
      '"sandbox": {"network": "full", "write": ["~/.npm"]}',
    ],
    [
      'uvx: its cache, its Pythons, the network',
      {command: 'uvx', args: ['mcp-server-git']},
      '"sandbox": {"network": "full", "read": ["~/.local/share/uv"], "write": ["~/.cache/uv"]}',
    ],
    [
      'docker: unsandboxed, the container is its sandbox',
      {command: 'docker', args: ['run', '-i', 'acme/mcp']},
      'a container server needs "sandbox": false in its entry',
    ],
  ])('%s', async (_name, entry, expected) => {
    const launch = launchOf(entry)
    expect(await sandboxedStartHint(launch, sandboxedRun(launch), home)).toContain(expected)
  })

  it('names a script the sandbox does not show, and the node_modules folder to grant (its imports are beside it)', async () => {
    const launch = launchOf({command: process.execPath, args: [outsideScript]})
    const hint = await sandboxedStartHint(launch, sandboxedRun(launch), home)
    expect(hint).toContain(`it names ${outsideScript}, which the sandbox does not show`)
    expect(hint).toContain(`"sandbox": {"read": [${JSON.stringify(path.join(base, 'elsewhere/node_modules'))}]}`)
  })

  it('a folder under the home folder is written with ~', async () => {
    const script = path.join(home, 'src/mcp/server.js')
    await mkdir(path.dirname(script), {recursive: true})
    await writeFile(script, '')
    const launch = launchOf({command: process.execPath, args: [script]})
    expect(await sandboxedStartHint(launch, sandboxedRun(launch), home)).toContain('"sandbox": {"read": ["~/src/mcp"]}')
  })

  it.each([
    ['a script in the project (visible)', {command: process.execPath, args: ['tools/server.mjs']}],
    ['one the entry already lets it read', {command: process.execPath, args: [outsideScript], sandbox: {read: [path.join(base, 'elsewhere')]}}],
  ])('for %s, only the general advice', async (_name, entry) => {
    const launch = launchOf(entry)
    const hint = await sandboxedStartHint(launch, sandboxedRun(launch), home)
    expect(hint).toMatch(/^it ran sandboxed \(no network\); if it needs more, grant it in its entry/)
    expect(hint).not.toContain('does not show')
  })
})
