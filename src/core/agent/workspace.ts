import {ProjectAccess} from '../access/project-access.js'
import type {Confirmer} from '../access/confirm.js'
import {ChangeJournal} from '../changes/journal.js'
import {loadConfig, type LoadConfigOptions} from '../config/load.js'
import type {FaithhConfig} from '../config/schema.js'
import {LlmClient} from '../llm/client.js'
import {createPermissionPolicy} from '../permissions/index.js'
import type {ToolContext} from '../tools/tool.js'

/** Everything a command needs to run the agent on one project: config, model client, tool context. */
export interface Workspace {
  config: FaithhConfig
  root: string
  configFile?: string
  llm: LlmClient
  /** The gate for this run's reads, writes and commands (one journal per run, for `faithh undo`). */
  openAccess(options: {confirmer: Confirmer; command: string; mode?: 'direct' | 'staged'}): ProjectAccess
  toolContext(signal: AbortSignal, access: ProjectAccess): ToolContext
}

export async function openWorkspace(options: LoadConfigOptions): Promise<Workspace> {
  const {config, root, file} = await loadConfig(options)
  const llm = new LlmClient({
    host: config.host,
    model: config.model,
    numCtx: config.numCtx,
    temperature: config.temperature,
    keepAlive: config.keepAlive,
  })
  const policy = createPermissionPolicy(root, config.permissions)
  return {
    config,
    root,
    configFile: file,
    llm,
    openAccess: ({confirmer, command, mode}) =>
      new ProjectAccess(root, {policy, confirmer, journal: new ChangeJournal(root, command), mode}),
    toolContext: (signal, access) => ({
      root,
      signal,
      access,
      limits: {
        outputChars: config.tools.outputChars,
        readBytes: config.tools.readBytes,
        commandTimeoutMs: config.tools.commandTimeoutSeconds * 1000,
      },
    }),
  }
}
