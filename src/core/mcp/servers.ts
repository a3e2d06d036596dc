import type {Verdict} from '../permissions/decision.js'
import type {Sandbox} from '../sandbox/sandbox.js'
import type {Tool} from '../tools/tool.js'
import {admitServers, type ServerApprover, type ServerPlan} from './admission.js'
import type {ConfiguredServer} from './configured.js'
import {McpConnection} from './connection.js'
import {mcpTools, offeredName} from './mcp-tool.js'
import type {McpServerSpec} from './server-config.js'
import {sandboxedStartHint, type ServerRun} from './server-sandbox.js'
import {allToolsDenied, toolPermission, trustedReadOnly} from './tool-permission.js'
import type {TrustStore} from './trust.js'

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
  /** The config file that declares it: a project's servers start only once trusted. */
  source: 'project' | 'user'
  /**
   * running: started and listed its tools; failed: did not start, or stopped since; blocked: not
   * started, for want of consent (a project's server not trusted, or no sandbox); disabled/invalid: not started.
   */
  state: 'running' | 'failed' | 'blocked' | 'disabled' | 'invalid'
  transport?: 'stdio' | 'http' | 'sse'
  /** How a stdio server runs (or would): sandboxed and with what, or not. */
  runs?: string
  sandboxed?: boolean
  /** Why it is failed, blocked or invalid. */
  message?: string
  tools: McpToolStatus[]
  /** Keys of its config entry that faithh does not read (another agent's, or a misspelling). */
  ignoredKeys: string[]
}

export interface StartMcpOptions {
  /** Where stdio servers run, and the project they serve (its root). */
  sandbox: Sandbox
  /** The user's decisions about the project's servers; without it, none is trusted. */
  trust?: TrustStore
  /** A person at a terminal, asked before a server that needs consent starts; without one, such servers do not start. */
  approver?: ServerApprover
  /** --yes: where the user turned the sandbox off, servers run unsandboxed without asking. */
  yes?: boolean
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
    private readonly servers: ConfiguredServer[],
    private readonly plans: Map<string, ServerPlan>,
    private readonly connections: Map<string, McpConnection>,
    private readonly failures: Map<string, string>,
  ) {}

  private get specs(): McpServerSpec[] {
    return this.servers.map((server) => server.spec)
  }

  static async start(servers: ConfiguredServer[], options: StartMcpOptions): Promise<McpServers> {
    const {onWarning = () => {}, startTimeoutMs, signal} = options
    const connections = new Map<string, McpConnection>()
    const failures = new Map<string, string>()
    const warnOnce = (name: string, message: string) => {
      if (failures.has(name)) return
      failures.set(name, message)
      onWarning(`MCP server "${name}" ${message}`)
    }

    for (const {spec} of servers) if (spec.state === 'invalid') onWarning(`MCP server "${spec.name}" is not started: its config entry ${spec.problem}`)
    // One at a time, before anything starts: a question at the terminal must not race a server's start.
    const plans = await admitServers(servers, {...options, root: options.sandbox.root})
    await Promise.all(
      servers.map(async ({spec}) => {
        const plan = plans.get(spec.name)
        if (spec.state !== 'ready' || !plan?.start) return
        const {run} = plan
        try {
          const connection = await McpConnection.open({
            name: spec.name,
            launch: spec.launch,
            run,
            startTimeoutMs: Math.min(startTimeoutMs ?? Infinity, spec.settings.startTimeoutMs),
            signal,
          })
          connection.onStopped = (reason) => warnOnce(spec.name, `${reason}; its tools are no longer offered`)
          connections.set(spec.name, connection)
        } catch (error) {
          const message =
            (error as Error & {code?: string}).code === 'ENOENT' || signal?.aborted ? (error as Error).message : await withHint(error as Error, spec, run)
          warnOnce(spec.name, `did not start: ${message}; its tools are not available`)
        }
      }),
    )
    return new McpServers(servers, plans, connections, failures)
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
    return this.servers.map(({spec, source}) => {
      const base = {name: spec.name, source, ignoredKeys: spec.ignoredKeys, tools: [] as McpToolStatus[]}
      if (spec.state === 'disabled') return {...base, state: 'disabled'}
      if (spec.state === 'invalid') return {...base, state: 'invalid', message: spec.problem}
      const transport = spec.launch.transport
      if (allToolsDenied(spec.settings)) return {...base, transport, state: 'disabled', message: 'every tool is denied ("permission": "deny")'}
      const plan = this.plans.get(spec.name)
      if (plan && !plan.start)
        return {...base, transport, state: 'blocked', message: plan.reason, ...(plan.runs && transport === 'stdio' ? {runs: plan.runs} : {})}
      const run = plan?.start ? plan.run : undefined
      const how = run ? {runs: run.summary, sandboxed: run.sandboxed} : {}
      const connection = this.connections.get(spec.name)
      if (!connection?.alive)
        return {...base, transport, ...how, state: 'failed', message: this.failures.get(spec.name) ?? connection?.failure ?? 'not running'}
      const tools = connection.tools.map((info) => {
        const offeredAs = offeredName(spec.name, info.name)
        const {verdict} = toolPermission(spec.name, info.name, offeredAs, spec.settings)
        return {name: info.name, offeredAs, permission: verdict, readOnly: verdict !== 'deny' && trustedReadOnly(info.annotations, spec.settings)}
      })
      return {...base, transport, ...how, state: 'running', tools}
    })
  }

  /** Stops every server (each in parallel); safe to call twice. */
  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((connection) => connection.close()))
  }
}

/** A sandboxed server that did not start: the failure, and what its entry could grant (npx's cache, a path it names). */
async function withHint(error: Error, spec: McpServerSpec, run: ServerRun | undefined): Promise<string> {
  if (spec.state !== 'ready' || spec.launch.transport !== 'stdio' || !run?.sandboxed) return error.message
  return `${error.message} — ${await sandboxedStartHint(spec.launch, run)}`
}
