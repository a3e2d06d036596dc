import type {Sandbox} from '../sandbox/sandbox.js'
import type {ConfiguredServer} from './configured.js'
import type {McpServerStatus} from './servers.js'
import {trustStore} from './trust.js'

/**
 * Starts each configured server, notes its state and tools, and stops it again (`faithh doctor`).
 * Nothing is asked: a project's server not trusted yet, or one that would run unsandboxed, is
 * reported as blocked, not started.
 */
export async function checkMcpServers(
  servers: ConfiguredServer[],
  {sandbox, startTimeoutMs, env = process.env}: {sandbox: Sandbox; startTimeoutMs: number; env?: NodeJS.ProcessEnv},
): Promise<McpServerStatus[]> {
  if (servers.length === 0) return []
  // Loaded only when servers are configured: the SDK is not free to import.
  const {McpServers} = await import('./servers.js')
  const running = await McpServers.start(servers, {sandbox, trust: trustStore(env), startTimeoutMs})
  try {
    return running.statuses()
  } finally {
    await running.close()
  }
}
