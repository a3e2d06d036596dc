import type {ConfiguredServer} from '../core/mcp/configured.js'
import type {McpServerSpec} from '../core/mcp/server-config.js'
import type {McpServerStatus} from '../core/mcp/servers.js'
import type {Style} from './style.js'

/** A configured server for `faithh mcp list --json`: how it starts and who decides, never env values or header values (secrets). */
export function configuredServerJson({spec, source, file}: ConfiguredServer) {
  const launch =
    spec.state !== 'ready'
      ? {}
      : spec.launch.transport === 'stdio'
        ? {transport: 'stdio', command: spec.launch.command, args: spec.launch.args, cwd: spec.launch.cwd, envKeys: Object.keys(spec.launch.env)}
        : {transport: spec.launch.transport, url: spec.launch.url, headerNames: Object.keys(spec.launch.headers)}
  return {
    name: spec.name,
    source,
    file,
    state: spec.state,
    ...launch,
    ...(spec.state === 'invalid' ? {problem: spec.problem} : {}),
    permission: spec.settings.permission,
    tools: spec.settings.tools,
    trustReadOnlyHints: spec.settings.trustReadOnlyHints,
    startTimeoutSeconds: spec.settings.startTimeoutMs / 1000,
    callTimeoutSeconds: spec.settings.callTimeoutMs / 1000,
    ignoredKeys: spec.ignoredKeys,
  }
}

export function formatServerList(servers: ConfiguredServer[], s: Style): string {
  if (servers.length === 0) return s.dim('no MCP servers configured — add one with `faithh mcp add <name> -- <command> [args...]`')
  return servers
    .map(({spec, source}) => {
      const head = `${s.bold(spec.name)}  ${describeLaunch(spec)}`
      const details = [`${source}`, `permission: ${spec.settings.permission}`]
      const overrides = Object.entries(spec.settings.tools).map(([tool, verdict]) => `${tool}: ${verdict}`)
      if (overrides.length > 0) details.push(`tools: ${overrides.join(', ')}`)
      if (spec.settings.trustReadOnlyHints) details.push('trusts readOnlyHint')
      if (spec.ignoredKeys.length > 0) details.push(`ignored keys: ${spec.ignoredKeys.join(', ')}`)
      return `${head}\n  ${s.dim(details.join(' · '))}`
    })
    .join('\n')
}

function describeLaunch(spec: McpServerSpec): string {
  if (spec.state === 'disabled') return '(disabled)'
  if (spec.state === 'invalid') return `(not usable: ${spec.problem})`
  const {launch} = spec
  return launch.transport === 'stdio' ? `stdio: ${[launch.command, ...launch.args].map(quoteArg).join(' ')}` : `${launch.transport}: ${launch.url}`
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`
}

const PERMISSION_LABEL = {ask: 'confirm each call', allow: 'runs without asking', deny: 'denied: not offered'} as const

/** `faithh mcp test` and doctor: each server's state, and its tools with what a call to them does. */
export function formatServerStatuses(statuses: McpServerStatus[], s: Style, {tools = true}: {tools?: boolean} = {}): string[] {
  const lines: string[] = []
  for (const status of statuses) {
    switch (status.state) {
      case 'running': {
        lines.push(`${s.green('✓')} MCP server ${status.name} (${status.transport}): ${status.tools.length} tool${status.tools.length === 1 ? '' : 's'}`)
        if (!tools) break
        for (const tool of status.tools) {
          const readOnly = tool.readOnly ? ' · read-only: `faithh ask` offers it too' : ''
          lines.push(`    ${tool.offeredAs}  ${s.dim(`${PERMISSION_LABEL[tool.permission]}${readOnly}`)}`)
        }

        break
      }

      case 'disabled':
        lines.push(s.dim(`- MCP server ${status.name}: disabled${status.message ? ` (${status.message})` : ''}`))
        break
      default:
        lines.push(`${s.red('✗')} MCP server ${status.name}: ${status.message}`)
    }

    if (status.ignoredKeys.length > 0) lines.push(s.dim(`    ignored keys in its config: ${status.ignoredKeys.join(', ')}`))
  }

  return lines
}
