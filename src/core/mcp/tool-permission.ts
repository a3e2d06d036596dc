import type {PermissionDecision} from '../permissions/decision.js'
import type {McpServerSettings} from './server-config.js'

/**
 * What the config says about calls to one tool of one server: its entry in the server's `tools`
 * (by the server's name for it, or faithh's `server__tool`), else the server's `permission`, "ask"
 * by default. The reason is what a confirmation, or a refusal, shows.
 */
export function toolPermission(server: string, tool: string, offeredAs: string, settings: McpServerSettings): PermissionDecision {
  const own = settings.tools[tool] ?? settings.tools[offeredAs]
  const verdict = own ?? settings.permission
  const source = own ? `"tools": {"${tool}": "${own}"}` : `"permission": "${settings.permission}"`
  switch (verdict) {
    case 'allow':
      return {verdict, reason: `MCP server "${server}" has ${source}`}
    case 'deny':
      return {verdict, reason: `MCP server "${server}" has ${source}: ${tool} is never called`}
    case 'ask':
      return {verdict, reason: `a tool of MCP server "${server}" (${source})`}
  }
}

/**
 * Whether `faithh ask`, which never changes anything, may offer the tool: only when the server says
 * it is read-only (and not destructive) AND the user chose to believe it (trustReadOnlyHints).
 * Annotations are hints from a program faithh does not control, so they are not trusted by default.
 */
export function trustedReadOnly(annotations: {readOnlyHint?: boolean; destructiveHint?: boolean} | undefined, settings: McpServerSettings): boolean {
  return settings.trustReadOnlyHints && annotations?.readOnlyHint === true && annotations.destructiveHint !== true
}

/** A server whose every tool is denied need not run at all. */
export function allToolsDenied(settings: McpServerSettings): boolean {
  return settings.permission === 'deny' && !Object.values(settings.tools).some((verdict) => verdict !== 'deny')
}
