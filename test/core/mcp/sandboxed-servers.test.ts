import {existsSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {SCRATCH_PREFIX} from '../../../src/core/sandbox/leftovers.js'
import type {SandboxConfig} from '../../../src/core/sandbox/config.js'
import {McpServers} from '../../../src/core/mcp/servers.js'
import {defaultToolLimits, runTool, type Tool, type ToolContext} from '../../../src/core/tools/tool.js'
import {testAccess} from '../../support/access.js'
import {createHostileProject, startLoopbackListener, type HostileProject, type LoopbackListener} from '../../support/hostile-project.js'
import {
  EVERYTHING_SERVER,
  FILESYSTEM_SERVER,
  leftoverProcesses,
  NODE_MODULES,
  PRYING_SERVER,
  sandboxedEntry,
  sandboxFor,
  stdioEntry,
  userServers,
} from '../../support/mcp.js'
import {needsSandbox} from '../../support/requirements.js'

/**
 * MCP stdio servers run in the sandbox commands run in. A server is a program the user did not
 * write: the rows below are what a hostile one would try, through its own tools, and each ends with
 * the hostile table's checks (test/core/sandbox/hostile.test.ts): nothing outside the project
 * changed, the planted secrets appear in no output, nothing reached the loopback listener, and no
 * process of the server is left.
 */

let project: HostileProject | undefined
let listener: LoopbackListener | undefined
const started: McpServers[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((servers) => servers.close()))
  listener?.close()
  listener = undefined
  await project?.cleanup()
  project = undefined
})

/** Starts servers as the user config declares them, in a project whose home folder is the fixture's (planted keys and all). */
async function start(f: HostileProject, mcpServers: Record<string, unknown>, config: Partial<SandboxConfig> = {}) {
  const warnings: string[] = []
  const sandbox = sandboxFor(f.root, {maxProcesses: 64, ...config}, {home: f.home})
  const servers = await McpServers.start(userServers(mcpServers, f.root), {sandbox, onWarning: (message) => warnings.push(message)})
  started.push(servers)
  return {servers, warnings}
}

function context(root: string): ToolContext {
  return {root, signal: new AbortController().signal, limits: {...defaultToolLimits, outputChars: 200_000}, access: testAccess(root)}
}

function toolNamed(servers: McpServers, name: string): Tool {
  const tool = servers.tools.find((candidate) => candidate.name === name)
  if (!tool) throw new Error(`no tool ${name} among ${servers.tools.map((t) => t.name).join(', ')}`)
  return tool
}

async function call(servers: McpServers, f: HostileProject, tool: string, args: Record<string, unknown>): Promise<string> {
  const result = await runTool(toolNamed(servers, tool), args, context(f.root))
  return result.output
}

const scratchFolders = () => readdirSync(tmpdir()).filter((name) => name.startsWith(SCRATCH_PREFIX))

describe.skipIf(!needsSandbox('MCP servers in the sandbox'))('MCP servers in the sandbox', () => {
  it('the everything and filesystem servers from npm start sandboxed, list their tools and answer', async () => {
    const f = (project = await createHostileProject({'notes.txt': 'read through the sandbox\n'}))
    const everything = sandboxedEntry(EVERYTHING_SERVER, ['stdio'], {}, {permission: 'allow'})
    const filesystem = sandboxedEntry(FILESYSTEM_SERVER, [f.root], {}, {permission: 'allow'})
    const {servers, warnings} = await start(f, {everything: everything.entry, fs: filesystem.entry})
    expect(warnings).toEqual([])
    expect(servers.statuses().map((status) => [status.name, status.state, status.sandboxed])).toEqual([
      ['everything', 'running', true],
      ['fs', 'running', true],
    ])
    expect(servers.statuses()[0]!.runs).toMatch(/^sandboxed: writes only in the project .*no network; reads also .*node_modules/)

    expect(await call(servers, f, 'everything__echo', {message: 'from inside'})).toContain('from inside')
    expect(await call(servers, f, 'fs__read_text_file', {path: path.join(f.root, 'notes.txt')})).toContain('read through the sandbox')
    expect(scratchFolders().length).toBeGreaterThan(0)

    await servers.close()
    expect(await leftoverProcesses(everything.mark)).toEqual([])
    expect(await leftoverProcesses(filesystem.mark)).toEqual([])
    // Its private /tmp goes with it.
    await expect.poll(scratchFolders).toEqual([])
  })

  const rows: Array<{name: string; tool: string; args: (f: HostileProject, port: number) => Record<string, unknown>; expected: RegExp}> = [
    {name: 'reading the planted ~/.ssh/id_rsa', tool: 'read', args: (f) => ({path: path.join(f.home, '.ssh/id_rsa')}), expected: /^blocked: ENOENT/},
    {name: 'reading it through the link the project ships', tool: 'read', args: () => ({path: 'homelink/.ssh/id_rsa'}), expected: /^blocked: ENOENT/},
    {name: 'reading another project', tool: 'read', args: (f) => ({path: path.join(f.outside, 'notes.txt')}), expected: /^blocked: ENOENT/},
    {name: 'writing outside the project', tool: 'write', args: (f) => ({path: path.join(f.outside, 'pwned.txt')}), expected: /^blocked: (ENOENT|EROFS|EACCES)/},
    {name: 'writing a file the user runs later (~/.bashrc)', tool: 'write', args: (f) => ({path: path.join(f.home, '.bashrc')}), expected: /^done/},
    {
      name: 'a TCP connection to a loopback listener, without a grant',
      tool: 'connect',
      args: (_, port) => ({host: '127.0.0.1', port}),
      expected: /^blocked: ECONNREFUSED/,
    },
    {
      name: 'a connection out of the machine',
      tool: 'connect',
      args: () => ({host: '10.255.255.1', port: 80}),
      expected: /^blocked: (ENETUNREACH|EHOSTUNREACH|timeout)/,
    },
    {name: "the environment (a secret in faithh's)", tool: 'env', args: () => ({}), expected: /^done: \{/},
  ]

  it.each(rows)('contains a server $name', async ({tool, args, expected}) => {
    const f = (project = await createHostileProject())
    listener = await startLoopbackListener()
    const before = await f.snapshotOutside()
    const prying = sandboxedEntry(PRYING_SERVER, [], {}, {permission: 'allow'})
    process.env.AWS_SECRET_ACCESS_KEY = f.envSecret
    try {
      const {servers, warnings} = await start(f, {prying: prying.entry})
      expect(warnings).toEqual([])
      const output = await call(servers, f, `prying__${tool}`, args(f, listener.port))
      expect(output).toMatch(expected)

      for (const secret of f.secrets()) expect(output).not.toContain(secret)
      // A write to ~/.bashrc lands in the sandbox's throwaway home, not the user's.
      expect(await f.snapshotOutside()).toBe(before)
      expect(listener.connections).toBe(0)
      await servers.close()
      expect(await leftoverProcesses(prying.mark)).toEqual([])
    } finally {
      delete process.env.AWS_SECRET_ACCESS_KEY
    }
  })

  it('reaches the loopback listener with "network": "loopback" in its entry, and still cannot read the key', async () => {
    const f = (project = await createHostileProject())
    listener = await startLoopbackListener()
    const {servers} = await start(f, {prying: sandboxedEntry(PRYING_SERVER, [], {network: 'loopback'}, {permission: 'allow'}).entry})
    expect(servers.statuses()[0]!.runs).toContain("network: this machine's loopback services only")
    expect(await call(servers, f, 'prying__connect', {host: '127.0.0.1', port: listener.port, send: 'hello from a server'})).toMatch(/^done: connected/)
    await expect.poll(() => listener!.received).toBe('hello from a server')
    expect(await call(servers, f, 'prying__read', {path: path.join(f.home, '.ssh/id_rsa')})).toMatch(/^blocked: ENOENT/)
  })

  it('control: with "sandbox": false the same server reads the key and connects (so the rows above can fail)', async () => {
    const f = (project = await createHostileProject())
    listener = await startLoopbackListener()
    const {servers} = await start(f, {prying: stdioEntry(PRYING_SERVER, [], {permission: 'allow'}).entry})
    expect(servers.statuses()[0]).toMatchObject({sandboxed: false, runs: 'not sandboxed ("sandbox": false in its entry): runs with all your rights'})
    expect(await call(servers, f, 'prying__read', {path: path.join(f.home, '.ssh/id_rsa')})).toContain(f.sshKey)
    expect(await call(servers, f, 'prying__connect', {host: '127.0.0.1', port: listener.port})).toMatch(/^done: connected/)
  })

  it('a server whose code the sandbox does not show: the warning names the folder to grant', async () => {
    const f = (project = await createHostileProject())
    const {warnings} = await start(f, {everything: stdioEntry(EVERYTHING_SERVER, ['stdio'], {sandbox: {}}).entry})
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('MCP server "everything" did not start: exited with code 1: Error: Cannot find module')
    expect(warnings[0]).toContain(
      `which the sandbox does not show — grant that in its entry with "sandbox": {"read": [${JSON.stringify(NODE_MODULES)}]}, or run it unsandboxed with "sandbox": false`,
    )
  })

  it('an `npx -y` server: the warning says npx needs its cache and the network, and what to write in the entry', async () => {
    const f = (project = await createHostileProject())
    const started = Date.now()
    // npx as the user has it (npm run puts node_modules/.bin first, where an npm package may have one too).
    const PATH = process.env
      .PATH!.split(path.delimiter)
      .filter((dir) => !dir.includes('node_modules'))
      .join(path.delimiter)
    const {warnings} = await start(f, {npx: {command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'], env: {PATH}, startTimeoutSeconds: 60}})
    // Without the network, npm is told to stay offline: it fails at once instead of retrying for a minute.
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('MCP server "npx" did not start: exited with code 1: npm error')
    expect(warnings[0]).toContain(
      'npx needs its cache (~/.npm) writable and, for a package not cached yet, the network — grant that in its entry with "sandbox": {"network": "full", "write": ["~/.npm"]}',
    )
    expect(existsSync(path.join(f.home, '.npm'))).toBe(false)
  })
})
