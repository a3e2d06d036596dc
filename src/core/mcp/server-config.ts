import path from 'node:path'
import {z} from 'zod'

import {envNames, hostPaths, NETWORK_ACCESS, type NetworkAccess} from '../sandbox/config.js'

/** What faithh does with a call to an MCP tool: ask each time (default), run it, or never offer it. */
export const mcpPermissionSchema = z.enum(['ask', 'allow', 'deny'])
export type McpPermission = z.infer<typeof mcpPermissionSchema>

/**
 * How a stdio server runs: in the sandbox commands run in (the default), with more granted here, or
 * with `false`, unsandboxed, as an explicit, visible choice (`faithh mcp list` and doctor show it).
 */
export const mcpServerSandboxSchema = z
  .union([
    z.literal(false),
    z.literal(true),
    z.strictObject({
      network: z
        .enum(NETWORK_ACCESS)
        .optional()
        .describe('none (a loopback of its own, the default), loopback (also the services listening on this machine) or full'),
      read: hostPaths.default([]).describe('Host paths (absolute, or ~/…) the server may read, beyond the system and the project'),
      write: hostPaths
        .default([])
        .describe('Host paths (absolute, or ~/…) the server may write, beyond the project and its private /tmp; `npx` needs "~/.npm"'),
      env: envNames
        .default([])
        .describe('Variables of faithh\'s environment passed to the server as they are (besides PATH, HOME and the like, and its own "env")'),
    }),
  ])
  .optional()
  .describe(
    'Where a stdio server runs: in the sandbox commands run in (default: writes only in the project, home folder hidden, no network), with more granted ' +
      'here, e.g. {"network": "full", "write": ["~/.npm"]} for `npx -y <package>`; or false to run it unsandboxed, with all your rights',
  )

export type McpServerSandboxEntry = z.infer<typeof mcpServerSandboxSchema>

/** A server's sandbox setting, resolved: off on purpose, or on with what the entry grants beyond the commands' sandbox. */
export type McpServerSandbox = {enabled: false} | {enabled: true; network?: NetworkAccess; read: string[]; write: string[]; env: string[]}

/** Whole-number strings or primitives, as other agents' configs write env values. */
const envValue = z.union([z.string(), z.number(), z.boolean()]).transform(String)

/**
 * One entry of `mcpServers`, in the shape Claude Code, Cursor, Gemini CLI and Cline already use:
 * `{command, args, env, cwd}` for a program faithh starts (stdio), `{url, headers}` for a streamable
 * HTTP server. faithh's own keys (permission, tools, trustReadOnlyHints, timeouts) sit beside them.
 *
 * Loose on purpose: keys other agents add (`autoApprove`, `timeout`, `description`, ...) are ignored
 * rather than refused, so a pasted block works as is; `faithh mcp list` names the ignored ones, so a
 * misspelt faithh key is still seen. Whether an entry is usable (a command or a url, a known `type`)
 * is judged per server when it starts: one broken entry does not stop faithh.
 */
export const mcpServerSchema = z
  .looseObject({
    command: z
      .string()
      .min(1)
      .optional()
      .describe('Program to start for a stdio server, e.g. "npx" or "/usr/local/bin/my-server". ${VAR} and ${VAR:-default} are expanded.'),
    args: z.array(z.string()).default([]).describe('Arguments of `command`; ${VAR} is expanded.'),
    env: z
      .record(z.string(), envValue)
      .default({})
      .describe(
        "Environment of a stdio server, on top of PATH, HOME, USER, LOGNAME, SHELL, TERM, LANG and TMPDIR (nothing else of faithh's environment is passed). ${VAR} is expanded.",
      ),
    cwd: z.string().min(1).optional().describe('Working directory of a stdio server; relative to the project root (the default).'),
    url: z.string().min(1).optional().describe('Address of a streamable HTTP (or, with "type": "sse", an SSE) server. ${VAR} is expanded.'),
    headers: z.record(z.string(), z.string()).default({}).describe('HTTP headers sent to a url server, e.g. {"Authorization": "Bearer ${TOKEN}"}.'),
    type: z
      .string()
      .optional()
      .describe(
        'Transport, as other agents write it: "stdio", "http" (also "streamable-http", "streamableHttp") or "sse". Optional: command means stdio, url means http.',
      ),
    disabled: z.boolean().optional().describe('true: configured but not started (also "enabled": false).'),
    enabled: z.boolean().optional().describe('false: configured but not started (also "disabled": true).'),
    permission: mcpPermissionSchema
      .default('ask')
      .describe(
        'Calls to this server\'s tools: "ask" (confirm each call, showing its arguments; refused without a terminal unless --yes), "allow" (run without asking) or "deny" (never offered).',
      ),
    tools: z
      .record(z.string(), mcpPermissionSchema)
      .default({})
      .describe('Per-tool permission by the tool\'s name on the server, overriding "permission", e.g. {"write_file": "deny", "read_file": "allow"}.'),
    trustReadOnlyHints: z
      .boolean()
      .default(false)
      .describe(
        'Believe the server\'s readOnlyHint annotations: tools it marks read-only (and not destructive) are also offered by `faithh ask`. Calls still follow "permission".',
      ),
    startTimeoutSeconds: z
      .number()
      .positive()
      .max(600)
      .default(15)
      .describe('How long the server may take to start and list its tools before faithh gives up on it for this run.'),
    callTimeoutSeconds: z
      .number()
      .positive()
      .max(3600)
      .default(60)
      .describe('How long one tool call may take; a server that does not answer in time is stopped and its tools are dropped for the run.'),
    sandbox: mcpServerSandboxSchema,
  })
  .describe('An MCP server whose tools the agent may use: {command, args, env, cwd} (stdio) or {url, headers} (HTTP).')

export type McpServerEntry = z.infer<typeof mcpServerSchema>

export const mcpServersSchema = z
  .record(z.string().min(1), mcpServerSchema)
  .default({})
  .describe(
    'MCP servers by name, in the shape other agents use (paste your existing "mcpServers" block). Their tools are offered as <server>__<tool>. ' +
      'Read from ~/.config/faithh/config.json and .faithh/config.json; an entry in the project file replaces one of the same name in the user file.',
  )

/** Keys of an entry that faithh reads; any other key is ignored (and listed by `faithh mcp list`). */
export const KNOWN_ENTRY_KEYS = new Set(Object.keys(mcpServerSchema.shape))

/** The config schema's view of the timeouts and permissions, once defaults are applied. */
export interface McpServerSettings {
  permission: McpPermission
  tools: Record<string, McpPermission>
  trustReadOnlyHints: boolean
  startTimeoutMs: number
  callTimeoutMs: number
}

export type McpLaunch =
  | {transport: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd: string; sandbox: McpServerSandbox}
  | {transport: 'http' | 'sse'; url: string; headers: Record<string, string>}

/** A configured server as faithh will treat it: ready to start, switched off, or unusable (and why). */
export type McpServerSpec = {name: string; settings: McpServerSettings; ignoredKeys: string[]} & (
  | {state: 'ready'; launch: McpLaunch}
  | {state: 'disabled'}
  | {state: 'invalid'; problem: string}
)

/**
 * The entries of `mcpServers`, in config order, each judged: what to start, or why not. `env` is
 * the environment ${VAR} references are read from; `root` anchors a relative cwd.
 */
export function resolveMcpServers(servers: Record<string, McpServerEntry>, {root, env}: {root: string; env: NodeJS.ProcessEnv}): McpServerSpec[] {
  return Object.entries(servers).map(([name, entry]) => resolveServer(name, entry, root, env))
}

function resolveServer(name: string, entry: McpServerEntry, root: string, env: NodeJS.ProcessEnv): McpServerSpec {
  const base = {
    name,
    settings: {
      permission: entry.permission,
      tools: entry.tools,
      trustReadOnlyHints: entry.trustReadOnlyHints,
      startTimeoutMs: entry.startTimeoutSeconds * 1000,
      callTimeoutMs: entry.callTimeoutSeconds * 1000,
    },
    ignoredKeys: Object.keys(entry).filter((key) => !KNOWN_ENTRY_KEYS.has(key)),
  }
  if (entry.disabled === true || entry.enabled === false) return {...base, state: 'disabled'}
  try {
    return {...base, state: 'ready', launch: launchOf(entry, root, env)}
  } catch (error) {
    return {...base, state: 'invalid', problem: (error as Error).message}
  }
}

const TRANSPORTS: Record<string, 'stdio' | 'http' | 'sse'> = {
  stdio: 'stdio',
  http: 'http',
  'streamable-http': 'http',
  streamablehttp: 'http',
  streamable_http: 'http',
  sse: 'sse',
}

function launchOf(entry: McpServerEntry, root: string, env: NodeJS.ProcessEnv): McpLaunch {
  if (entry.command && entry.url)
    throw new Error('has both "command" and "url": keep "command" for a program faithh starts, or "url" for a server already running')
  const declared = entry.type?.trim().toLowerCase()
  const transport = declared ? TRANSPORTS[declared] : entry.command ? 'stdio' : entry.url ? 'http' : undefined
  if (declared && !transport) throw new Error(`"type": "${entry.type}" is not a transport faithh knows (stdio, http, sse)`)
  if (!transport) throw new Error('has neither "command" (a program to start) nor "url" (a server to connect to)')
  const expand = (text: string) => expandVariables(text, env)

  if (transport === 'stdio') {
    if (!entry.command) throw new Error('"type": "stdio" needs a "command"')
    return {
      transport,
      command: expand(entry.command),
      args: entry.args.map(expand),
      env: Object.fromEntries(Object.entries(entry.env).map(([key, value]) => [key, expand(value)])),
      cwd: path.resolve(root, entry.cwd ? expand(entry.cwd) : '.'),
      sandbox: sandboxOf(entry.sandbox),
    }
  }

  if (!entry.url) throw new Error(`"type": "${entry.type}" needs a "url"`)
  const url = expand(entry.url)
  if (!/^https?:\/\//i.test(url)) throw new Error(`"url" must start with http:// or https:// (got "${url}")`)
  return {transport, url, headers: Object.fromEntries(Object.entries(entry.headers).map(([key, value]) => [key, expand(value)]))}
}

function sandboxOf(entry: McpServerSandboxEntry): McpServerSandbox {
  if (entry === false) return {enabled: false}
  if (entry === undefined || entry === true) return {enabled: true, read: [], write: [], env: []}
  return {enabled: true, ...(entry.network ? {network: entry.network} : {}), read: entry.read, write: entry.write, env: entry.env}
}

/**
 * ${VAR} and ${VAR:-default}, as Claude Code's .mcp.json has them: secrets stay in the environment,
 * not in a config file that may be committed. An unset variable without a default is an error.
 */
export function expandVariables(text: string, env: NodeJS.ProcessEnv): string {
  return text.replaceAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_match, name: string, fallback: string | undefined) => {
    const value = env[name]
    if (value !== undefined && value !== '') return value
    if (fallback !== undefined) return fallback
    throw new Error(`uses \${${name}}, which is not set in the environment (give a default with \${${name}:-value})`)
  })
}
