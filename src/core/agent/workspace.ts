import {ProjectAccess} from '../access/project-access.js'
import type {Confirmer} from '../access/confirm.js'
import {ChangeJournal, type PlanRunTag} from '../changes/journal.js'
import {loadConfig, type LoadConfigOptions} from '../config/load.js'
import type {FaithhConfig} from '../config/schema.js'
import {LlmClient} from '../llm/client.js'
import {createPermissionPolicy} from '../permissions/index.js'
import {createRetriever, type Retriever} from '../rag/retriever.js'
import {Sandbox} from '../sandbox/sandbox.js'
import type {Tool, ToolContext} from '../tools/tool.js'

/** Everything a command needs to run the agent on one project: config, model client, tool context. */
export interface Workspace {
  config: FaithhConfig
  root: string
  configFile?: string
  llm: LlmClient
  /** Tools that plugins add; commands offer them next to the built-ins (only the read-only ones in `ask`). */
  pluginTools: Tool[]
  /** The codebase index (`faithh index`), also in every tool context. Lazy: nothing is read or started until it is searched; close it when done. */
  retriever: Retriever
  /** Where commands run (see core/sandbox); shared by every access of the run, so its notice is given once. */
  sandbox: Sandbox
  /** The gate for this run's reads, writes and commands (one journal per run, for `faithh undo`). */
  openAccess(options: {confirmer: Confirmer; command: string; mode?: 'direct' | 'staged'; plan?: PlanRunTag}): ProjectAccess
  toolContext(signal: AbortSignal, access: ProjectAccess): ToolContext
}

export interface WorkspaceOptions extends LoadConfigOptions {
  pluginTools?: Tool[]
  /** Tells the user something once per run (that commands are not sandboxed); the CLI writes it to stderr. */
  notify?: (message: string) => void
}

export async function openWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const {config, root, file} = await loadConfig(options)
  const llm = new LlmClient({
    host: config.host,
    model: config.model,
    numCtx: config.numCtx,
    temperature: config.temperature,
    keepAlive: config.keepAlive,
  })
  const policy = createPermissionPolicy(root, config.permissions)
  const retriever = createRetriever({root, host: config.host, rag: config.rag, keepAlive: config.keepAlive})
  const sandbox = new Sandbox({root, config: config.sandbox, env: options.env})
  return {
    config,
    root,
    configFile: file,
    llm,
    pluginTools: options.pluginTools ?? [],
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
  }
}
