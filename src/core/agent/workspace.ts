import {realpathSync} from 'node:fs'
import path from 'node:path'

import {ProjectAccess} from '../access/project-access.js'
import type {Confirmer} from '../access/confirm.js'
import {ChangeJournal, type PlanRunTag} from '../changes/journal.js'
import {loadConfig, type LoadConfigOptions, type LoadedConfig} from '../config/load.js'
import type {FaithhConfig} from '../config/schema.js'
import type {FittedInstructions} from '../instructions/fit.js'
import {loadProjectInstructions} from '../instructions/load.js'
import {namedFolders} from '../instructions/locations.js'
import {LlmClient} from '../llm/client.js'
import {serversOf} from '../mcp/configured.js'
import type {McpServers, StartMcpOptions} from '../mcp/servers.js'
import {trustStore} from '../mcp/trust.js'
import {createPermissionPolicy} from '../permissions/index.js'
import {createRetriever, type Retriever} from '../rag/retriever.js'
import {Sandbox} from '../sandbox/sandbox.js'
import type {Tool, ToolContext} from '../tools/tool.js'

/** Everything a command needs to run the agent on one project: config, model client, tool context. */
export interface Workspace {
  config: FaithhConfig
  root: string
  /** The folder the command was started in, relative to the root ('' at the root). */
  cwd: string
  configFile?: string
  llm: LlmClient
  /**
   * Tools beyond the built-ins: the plugins' and those of the running MCP servers (when opened with
   * `mcp`). Commands offer them next to the built-ins (only the read-only ones in `ask`). Read it
   * when a run starts: a server that stopped has no tools any more.
   */
  readonly pluginTools: Tool[]
  /** The MCP servers started for this workspace (`mcp` option), if any are configured. */
  mcp?: McpServers
  /** The codebase index (`faithh index`), also in every tool context. Lazy: nothing is read or started until it is searched; close it when done. */
  retriever: Retriever
  /** Where commands run (see core/sandbox); shared by every access of the run, so its notice is given once. */
  sandbox: Sandbox
  /** The gate for this run's reads, writes and commands (one journal per run, for `faithh undo`). */
  openAccess(options: {confirmer: Confirmer; command: string; mode?: 'direct' | 'staged'; plan?: PlanRunTag}): ProjectAccess
  toolContext(signal: AbortSignal, access: ProjectAccess): ToolContext
  /**
   * The project's instruction files (AGENTS.md, FAITHH.md) for this run's system prompt: the root's,
   * those down to the current folder, and those down to `near`: root-relative folders, and the
   * project paths a question, task or command line names. Read through `access`. Call once per run.
   */
  loadInstructions(access: ProjectAccess, near?: {folders?: string[]; text?: string}): Promise<FittedInstructions>
  /** Stops what the workspace started: the MCP servers, the embedded Chroma. Call it when the command ends. */
  close(): Promise<void>
}

export interface WorkspaceOptions extends LoadConfigOptions {
  pluginTools?: Tool[]
  /**
   * Start the configured MCP servers (config `mcpServers`) now, for an agent run that offers tools:
   * in this workspace's sandbox, a project's only once the user trusts them (see core/mcp/admission.ts).
   */
  mcp?: Omit<StartMcpOptions, 'sandbox' | 'trust'>
  /** Tells the user something once per run (that commands are not sandboxed); the CLI writes it to stderr. */
  notify?: (message: string) => void
}

export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const loaded = await loadConfig(options)
  const {config, root, file} = loaded
  const llm = new LlmClient({
    host: config.host,
    model: config.model,
    numCtx: config.numCtx,
    temperature: config.temperature,
    keepAlive: config.keepAlive,
  })
  const policy = createPermissionPolicy(root, config.permissions)
  const retriever = createRetriever({root, host: config.host, rag: config.rag, keepAlive: config.keepAlive})
  const cwd = relativeCwd(root, options.cwd)
  const plugins = options.pluginTools ?? []
  const sandbox = new Sandbox({root, config: config.sandbox, env: options.env})
  const mcp = options.mcp ? await startMcp(loaded, options.env ?? process.env, {...options.mcp, sandbox}) : undefined
  return {
    config,
    root,
    cwd,
    configFile: file,
    llm,
    get pluginTools() {
      return mcp ? [...plugins, ...mcp.tools] : plugins
    },
    mcp,
    retriever,
    sandbox,
    openAccess: ({confirmer, command, mode, plan}) =>
      new ProjectAccess(root, {policy, confirmer, journal: new ChangeJournal(root, command, plan), mode, sandbox, notify: options.notify}),
    toolContext: (signal, access) => ({
      root,
      signal,
      access,
      retriever,
      limits: {
        outputChars: config.tools.outputChars,
        readBytes: config.tools.readBytes,
        commandTimeoutMs: config.tools.commandTimeoutSeconds * 1000,
      },
    }),
    loadInstructions: async (access, near = {}) =>
      loadProjectInstructions(access, {
        folders: [cwd, ...(near.folders ?? []), ...(near.text ? await namedFolders(near.text, root, cwd) : [])],
        fileNames: config.instructions.fileNames,
        maxTokens: config.instructions.maxTokens,
      }),
    async close() {
      await Promise.all([mcp?.close(), retriever.close()])
    },
  }
}

/** The real path of `cwd` relative to the (real) root; '' when it is the root or not inside it. */
function relativeCwd(root: string, cwd: string): string {
  let real: string
  try {
    real = realpathSync(path.resolve(cwd))
  } catch {
    return ''
  }

  const rel = path.relative(root, real)
  return rel.startsWith('..') || path.isAbsolute(rel) ? '' : rel.split(path.sep).join('/')
}

/** The SDK is loaded only when a server is configured: most runs have none, and start-up time matters. */
async function startMcp(loaded: LoadedConfig, env: NodeJS.ProcessEnv, options: Omit<StartMcpOptions, 'trust'>): Promise<McpServers | undefined> {
  if (Object.keys(loaded.config.mcpServers).length === 0) return undefined
  const {servers} = await serversOf(loaded, env)
  const {McpServers} = await import('../mcp/servers.js')
  return McpServers.start(servers, {...options, trust: trustStore(env)})
}
