import {randomUUID} from 'node:crypto'
import {mkdir, readdir, readFile, realpath, writeFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {execa} from 'execa'

import {configSchema} from '../../src/core/config/schema.js'
import type {ConfiguredServer} from '../../src/core/mcp/configured.js'
import {resolveMcpServers} from '../../src/core/mcp/server-config.js'
import {trustStore} from '../../src/core/mcp/trust.js'
import {sandboxConfigSchema, type SandboxConfig} from '../../src/core/sandbox/config.js'
import {Sandbox} from '../../src/core/sandbox/sandbox.js'
import {CLI_BIN, EMPTY_CONFIG_HOME} from './cli.js'
import type {FakeOllama} from './fake-ollama.js'

const require = createRequire(import.meta.url)

/** The reference servers from npm, run from node_modules with this node: no npx, no network. */
export const EVERYTHING_SERVER = require.resolve('@modelcontextprotocol/server-everything/dist/index.js')
export const FILESYSTEM_SERVER = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js')
/** Our own misbehaving server (test/fixtures/mcp/unruly-server.mjs): crash, hang, big, look, echo. */
export const UNRULY_SERVER = fileURLToPath(new URL('../fixtures/mcp/unruly-server.mjs', import.meta.url))
/** Where the servers above and what they import live: what a sandboxed one must be granted to read. */
export const NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url))
export const MCP_FIXTURES = path.dirname(UNRULY_SERVER)
/** A server that tries what a hostile one would (read, write, connect, env), with no imports: test/fixtures/mcp/prying-server.mjs. */
export const PRYING_SERVER = path.join(MCP_FIXTURES, 'prying-server.mjs')

/**
 * A stdio entry for `mcpServers` running `script` with this node, marked with a unique environment
 * variable so the test can find every process it left (see processesMarked). Unsandboxed
 * ("sandbox": false), on purpose: these tests are about MCP, and pass where no sandbox works;
 * sandboxedEntry is for the tests about servers in the sandbox.
 */
export function stdioEntry(script: string, args: string[] = [], extra: Record<string, unknown> = {}): {entry: Record<string, unknown>; mark: string} {
  const mark = randomUUID()
  const entry = {command: process.execPath, args: [script, ...args], env: {FAITHH_TEST_MARK: mark}, sandbox: false, ...extra}
  return {entry, mark}
}

/** The same, run in the sandbox, granted reading the servers' code (node_modules and the fixtures) and what `sandbox` adds. */
export function sandboxedEntry(
  script: string,
  args: string[] = [],
  sandbox: {network?: string; read?: string[]; write?: string[]; env?: string[]} = {},
  extra: Record<string, unknown> = {},
) {
  return stdioEntry(script, args, {...extra, sandbox: {...sandbox, read: [NODE_MODULES, MCP_FIXTURES, ...(sandbox.read ?? [])]}})
}

/** Servers as faithh would resolve them from the user config's mcpServers (which need no trust). */
export function userServers(mcpServers: Record<string, unknown>, root: string): ConfiguredServer[] {
  return resolveMcpServers(configSchema.parse({mcpServers}).mcpServers, {root, env: process.env}).map((spec) => ({spec, source: 'user', file: 'user config'}))
}

/** The sandbox of a run in `root`, as a workspace makes it (with `home` as the user's home folder). */
export function sandboxFor(root: string, config: Partial<SandboxConfig> = {}, {env, home}: {env?: NodeJS.ProcessEnv; home?: string} = {}): Sandbox {
  return new Sandbox({root, config: sandboxConfigSchema.parse(config), env, home})
}

/**
 * Writes the project's .faithh/config.json with these servers and, unless `trust: false`, trusts
 * them as `faithh mcp trust` would, in the user config the test commands see (EMPTY_CONFIG_HOME):
 * a project's servers start only once trusted.
 */
export async function configureProjectServers(
  root: string,
  mcpServers: Record<string, unknown>,
  {trust = true, extra = {}, configHome = EMPTY_CONFIG_HOME}: {trust?: boolean; extra?: Record<string, unknown>; configHome?: string} = {},
): Promise<void> {
  await mkdir(path.join(root, '.faithh'), {recursive: true})
  await writeFile(path.join(root, '.faithh/config.json'), JSON.stringify({...extra, mcpServers}))
  if (!trust) return
  const store = trustStore({XDG_CONFIG_HOME: configHome})
  const real = await realpath(root)
  for (const [name, entry] of Object.entries(mcpServers)) await store.remember(real, name, entry, 'trusted')
}

/** Pids of live processes whose environment has FAITHH_TEST_MARK=mark (Linux /proc). */
export async function processesMarked(mark: string): Promise<number[]> {
  const pids: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '')
    if (!environ.split('\0').includes(`FAITHH_TEST_MARK=${mark}`)) continue
    // A zombie has exited already; only its parent's bookkeeping is left.
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    if (stat && !/\) Z /.test(stat)) pids.push(Number(entry))
  }

  return pids
}

/** Waits (up to `ms`) for every process with the mark to be gone; returns those still there. */
export async function leftoverProcesses(mark: string, ms = 5000): Promise<number[]> {
  const deadline = Date.now() + ms
  for (;;) {
    const pids = await processesMarked(mark)
    if (pids.length === 0 || Date.now() > deadline) return pids
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * `faithh ask` as a process in `root`, given back mid-run: once `servers` processes carry `mark` (the
 * servers are up) and the model has been asked. The model is to answer slowly (script it first), so
 * that a signal sent now finds faithh with its servers running.
 */
export async function askMidRun(root: string, ollama: FakeOllama, mark: string, servers: number) {
  const child = execa('node', [CLI_BIN, 'ask', 'anything'], {
    cwd: root,
    env: {OLLAMA_HOST: ollama.url, NO_COLOR: '1', XDG_CONFIG_HOME: EMPTY_CONFIG_HOME},
    reject: false,
    stdin: 'ignore',
  })
  const deadline = Date.now() + 15_000
  while ((await processesMarked(mark)).length < servers && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100))
  while (!ollama.requests.some((request) => request.path === '/api/chat') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  // In an object: the subprocess is a promise itself, and returning it would wait for its end.
  return {child}
}
