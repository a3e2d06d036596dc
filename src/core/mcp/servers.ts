import type {Verdict} from '../permissions/decision.js'
import type {Tool} from '../tools/tool.js'
import {McpConnection} from './connection.js'
import {mcpTools, offeredName} from './mcp-tool.js'
import type {McpServerSpec} from './server-config.js'
import {toolPermission, trustedReadOnly} from './tool-permission.js'

export interface McpToolStatus {
  /** The server's name for it. */
  name: string
  /** The name the model sees: server__tool. */
  offeredAs: string
  permission: Verdict
  /** Offered by `faithh ask` too (readOnlyHint, trusted by the config). */
  readOnly: boolean
}

export interface McpServerStatus {
  name: string
  /** running: started and listed its tools; failed: did not start, or stopped since; disabled/invalid: not started. */
  state: 'running' | 'failed' | 'disabled' | 'invalid'
  transport?: 'stdio' | 'http' | 'sse'
  /** Why it is failed or invalid. */
  message?: string
  tools: McpToolStatus[]
  /** Keys of its config entry that faithh does not read (another agent's, or a misspelling). */
  ignoredKeys: string[]
}

export interface StartMcpOptions {
  /** Told once per server that fails to start or stops: its tools are gone. */
  onWarning?: (message: string) => void
  /** Caps each server's startTimeoutSeconds (doctor checks quickly). */
  startTimeoutMs?: number
  signal?: AbortSignal
}

/**
 * The configured MCP servers of one command run, started side by side when the run begins (the tool
 * list must be known to build the opening request), and stopped with it. `tools` only ever lists
 * tools of servers still running.
 */
export class McpServers {
  private constructor(
    private readonly specs: McpServerSpec[],
    private readonly connections: Map<string, McpConnection>,
    private readonly failures: Map<string, string>,
  ) {}

  static async start(specs: McpServerSpec[], {onWarning = () => {}, startTimeoutMs, signal}: StartMcpOptions = {}): Promise<McpServers> {
    const connections = new Map<string, McpConnection>()
    const failures = new Map<string, string>()
    const warnOnce = (name: string, message: string) => {
      if (failures.has(name)) return
      failures.set(name, message)
      onWarning(`MCP server "${name}" ${message}`)
    }

    for (const spec of specs) if (spec.state === 'invalid') onWarning(`MCP server "${spec.name}" is not started: its config entry ${spec.problem}`)
    await Promise.all(
      specs.map(async (spec) => {
        if (spec.state !== 'ready' || allDenied(spec)) return
        try {
          const connection = await McpConnection.open({name: spec.name, launch: spec.launch, startTimeoutMs: Math.min(startTimeoutMs ?? Infinity, spec.settings.startTimeoutMs), signal})
          connection.onStopped = (reason) => warnOnce(spec.name, `${reason}; its tools are no longer offered`)
          connections.set(spec.name, connection)
        } catch (error) {
          warnOnce(spec.name, `did not start: ${(error as Error).message}; its tools are not available`)
        }
      }),
    )
    return new McpServers(specs, connections, failures)
  }

  /** Tools of the servers that are running, in config order; a name two servers would share is offered once. */
  get tools(): Tool[] {
    const seen = new Set<string>()
    const tools: Tool[] = []
    for (const spec of this.specs) {
      const connection = this.connections.get(spec.name)
      if (!connection?.alive) continue
      for (const tool of mcpTools(connection, spec.settings)) {
        if (seen.has(tool.name)) continue
        seen.add(tool.name)
        tools.push(tool)
      }
    }

    return tools
  }

  statuses(): McpServerStatus[] {
    return this.specs.map((spec) => {
      const base = {name: spec.name, ignoredKeys: spec.ignoredKeys, tools: [] as McpToolStatus[]}
      if (spec.state === 'disabled') return {...base, state: 'disabled'}
      if (spec.state === 'invalid') return {...base, state: 'invalid', message: spec.problem}
      const transport = spec.launch.transport
      if (allDenied(spec)) return {...base, transport, state: 'disabled', message: 'every tool is denied ("permission": "deny")'}
      const connection = this.connections.get(spec.name)
      if (!connection?.alive) return {...base, transport, state: 'failed', message: this.failures.get(spec.name) ?? connection?.failure ?? 'not running'}
      const tools = connection.tools.map((info) => {
        const offeredAs = offeredName(spec.name, info.name)
        const {verdict} = toolPermission(spec.name, info.name, offeredAs, spec.settings)
        return {name: info.name, offeredAs, permission: verdict, readOnly: verdict !== 'deny' && trustedReadOnly(info.annotations, spec.settings)}
      })
      return {...base, transport, state: 'running', tools}
    })
  }

  /** Stops every server (each in parallel); safe to call twice. */
  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((connection) => connection.close()))
  }
}

/** A server whose every tool is denied need not run at all. */
function allDenied(spec: McpServerSpec): boolean {
  return spec.settings.permission === 'deny' && !Object.values(spec.settings.tools).some((verdict) => verdict !== 'deny')
}
