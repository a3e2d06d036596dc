import {randomUUID} from 'node:crypto'
import {readdir, readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'

import {configSchema} from '../../src/core/config/schema.js'
import {resolveMcpServers, type McpServerSpec} from '../../src/core/mcp/server-config.js'

const require = createRequire(import.meta.url)

/** The reference servers from npm, run from node_modules with this node: no npx, no network. */
export const EVERYTHING_SERVER = require.resolve('@modelcontextprotocol/server-everything/dist/index.js')
export const FILESYSTEM_SERVER = require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js')
/** Our own misbehaving server (test/fixtures/mcp/unruly-server.mjs): crash, hang, big, look, echo. */
export const UNRULY_SERVER = fileURLToPath(new URL('../fixtures/mcp/unruly-server.mjs', import.meta.url))

/**
 * A stdio entry for `mcpServers` running `script` with this node, marked with a unique environment
 * variable so the test can find every process it left (see processesMarked).
 */
export function stdioEntry(script: string, args: string[] = [], extra: Record<string, unknown> = {}): {entry: Record<string, unknown>; mark: string} {
  const mark = randomUUID()
  const entry = {command: process.execPath, args: [script, ...args], env: {FAITHH_TEST_MARK: mark}, ...extra}
  return {entry, mark}
}

/** Specs as faithh would resolve them from a config's mcpServers. */
export function specsOf(mcpServers: Record<string, unknown>, root: string): McpServerSpec[] {
  return resolveMcpServers(configSchema.parse({mcpServers}).mcpServers, {root, env: process.env})
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
