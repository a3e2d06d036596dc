import {resolveMcpServers, type McpServerEntry} from './server-config.js'
import type {McpServerStatus} from './servers.js'

/** Starts each configured server, notes its state and tools, and stops it again (`faithh doctor`). */
export async function checkMcpServers(
  servers: Record<string, McpServerEntry>,
  {root, startTimeoutMs, env = process.env}: {root: string; startTimeoutMs: number; env?: NodeJS.ProcessEnv},
): Promise<McpServerStatus[]> {
  const specs = resolveMcpServers(servers, {root, env})
  if (specs.length === 0) return []
  // Loaded only when servers are configured: the SDK is not free to import.
  const {McpServers} = await import('./servers.js')
  const running = await McpServers.start(specs, {startTimeoutMs})
  try {
    return running.statuses()
  } finally {
    await running.close()
  }
}
