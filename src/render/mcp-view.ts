import {describeLaunch} from '../core/mcp/admission.js'
import type {ConfiguredServer} from '../core/mcp/configured.js'
import type {McpServerSandbox, McpServerSpec} from '../core/mcp/server-config.js'
import type {McpServerStatus} from '../core/mcp/servers.js'
import type {TrustState} from '../core/mcp/trust.js'
import type {Style} from './style.js'

/** Where a project's server stands with the user: trusted or declined (this very entry), or undecided (never, or since it changed). */
export type ServerTrust = 'trusted' | 'declined' | 'not trusted' | 'changed since decided'

export function trustLabel(state: TrustState): ServerTrust {
  if (state.decision) return state.decision
  return state.changed ? 'changed since decided' : 'not trusted'
}

/** A configured server as `faithh mcp list` shows it: with its trust when a project declares it. */
export interface ListedServer extends ConfiguredServer {
  trust?: ServerTrust
}

/** A configured server for `faithh mcp list --json`: how it starts and who decides, never env values or header values (secrets). */
export function configuredServerJson({spec, source, file, trust}: ListedServer) {
  const launch =
    spec.state !== 'ready'
      ? {}
      : spec.launch.transport === 'stdio'
        ? {transport: 'stdio', command: spec.launch.command, args: spec.launch.args, cwd: spec.launch.cwd, envKeys: Object.keys(spec.launch.env)}
        : {transport: spec.launch.transport, url: spec.launch.url, headerNames: Object.keys(spec.launch.headers)}
  const sandbox = spec.state === 'ready' && spec.launch.transport === 'stdio' ? {sandbox: sandboxJson(spec.launch.sandbox)} : {}
  return {
    name: spec.name,
    source,
    file,
    ...(trust ? {trust} : {}),
    state: spec.state,
    ...launch,
    ...sandbox,
    ...(spec.state === 'invalid' ? {problem: spec.problem} : {}),
    permission: spec.settings.permission,
    tools: spec.settings.tools,
    trustReadOnlyHints: spec.settings.trustReadOnlyHints,
    startTimeoutSeconds: spec.settings.startTimeoutMs / 1000,
    callTimeoutSeconds: spec.settings.callTimeoutMs / 1000,
    ignoredKeys: spec.ignoredKeys,
  }
}

/** `false` for "sandbox": false; else what the entry grants beyond the commands' sandbox. */
function sandboxJson(sandbox: McpServerSandbox) {
  if (!sandbox.enabled) return false
  return {network: sandbox.network ?? 'as commands', read: sandbox.read, write: sandbox.write, env: sandbox.env}
}

export function formatServerList(servers: ListedServer[], s: Style): string {
  if (servers.length === 0) return s.dim('no MCP servers configured — add one with `faithh mcp add <name> -- <command> [args...]`')
  return servers
    .map(({spec, source, trust}) => {
      const head = `${s.bold(spec.name)}  ${launchLine(spec)}`
      const details = [trust ? `${source} (${trust})` : source, `permission: ${spec.settings.permission}`]
      const overrides = Object.entries(spec.settings.tools).map(([tool, verdict]) => `${tool}: ${verdict}`)
      if (overrides.length > 0) details.push(`tools: ${overrides.join(', ')}`)
      if (spec.settings.trustReadOnlyHints) details.push('trusts readOnlyHint')
      if (spec.ignoredKeys.length > 0) details.push(`ignored keys: ${spec.ignoredKeys.join(', ')}`)
      const sandbox = spec.state === 'ready' && spec.launch.transport === 'stdio' ? sandboxLine(spec.launch.sandbox, s) : undefined
      const lines = [head, `  ${s.dim(details.join(' · '))}`, ...(sandbox ? [`  ${sandbox}`] : [])]
      if (trust && trust !== 'trusted')
        lines.push(`  ${s.yellow(`not started until you trust it: \`faithh mcp trust ${spec.name}\` (or answer the prompt at a terminal)`)}`)
      return lines.join('\n')
    })
    .join('\n')
}

function launchLine(spec: McpServerSpec): string {
  if (spec.state === 'disabled') return '(disabled)'
  if (spec.state === 'invalid') return `(not usable: ${spec.problem})`
  return spec.launch.transport === 'stdio' ? `stdio: ${describeLaunch(spec.launch)}` : describeLaunch(spec.launch)
}

/** The entry's sandbox setting, without looking at this machine (`faithh mcp test` and doctor say whether it works here). */
export function sandboxLine(sandbox: McpServerSandbox, s: Style): string {
  if (!sandbox.enabled) return s.yellow('not sandboxed ("sandbox": false): runs with all your rights')
  const extra = [
    ...(sandbox.network ? [`network: ${sandbox.network}`] : []),
    ...(sandbox.read.length > 0 ? [`reads also ${sandbox.read.join(', ')}`] : []),
    ...(sandbox.write.length > 0 ? [`writes also ${sandbox.write.join(', ')}`] : []),
    ...(sandbox.env.length > 0 ? [`environment ${sandbox.env.join(', ')}`] : []),
  ]
  return s.dim(`sandboxed${extra.length > 0 ? `: ${extra.join('; ')}` : ' (as commands are)'}`)
}

const PERMISSION_LABEL = {ask: 'confirm each call', allow: 'runs without asking', deny: 'denied: not offered'} as const

/** `faithh mcp test` and doctor: each server's state, and its tools with what a call to them does. */
export function formatServerStatuses(statuses: McpServerStatus[], s: Style, {tools = true}: {tools?: boolean} = {}): string[] {
  const lines: string[] = []
  for (const status of statuses) {
    lines.push(headline(status, s))
    // How it runs (or would): "sandbox": false, or no sandbox here, is said where it is seen.
    if (status.runs && status.state !== 'disabled') lines.push(`    ${status.runs.startsWith('not sandboxed') ? s.yellow(status.runs) : s.dim(status.runs)}`)
    if (status.state === 'running' && tools) {
      for (const tool of status.tools) {
        const readOnly = tool.readOnly ? ' · read-only: `faithh ask` offers it too' : ''
        lines.push(`    ${tool.offeredAs}  ${s.dim(`${PERMISSION_LABEL[tool.permission]}${readOnly}`)}`)
      }
    }

    if (status.ignoredKeys.length > 0) lines.push(s.dim(`    ignored keys in its config: ${status.ignoredKeys.join(', ')}`))
  }

  return lines
}

function headline(status: McpServerStatus, s: Style): string {
  switch (status.state) {
    case 'running':
      return `${s.green('✓')} MCP server ${status.name} (${status.transport}): ${status.tools.length} tool${status.tools.length === 1 ? '' : 's'}`
    case 'disabled':
      return s.dim(`- MCP server ${status.name}: disabled${status.message ? ` (${status.message})` : ''}`)
    case 'blocked':
      return `${s.yellow('!')} MCP server ${status.name}: ${status.message}`
    default:
      return `${s.red('✗')} MCP server ${status.name}: ${status.message}`
  }
}
