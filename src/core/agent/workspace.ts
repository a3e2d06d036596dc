import {loadConfig, type LoadConfigOptions} from '../config/load.js'
import type {FaithhConfig} from '../config/schema.js'
import {LlmClient} from '../llm/client.js'
import type {ToolContext} from '../tools/tool.js'

/** Everything a command needs to run the agent on one project: config, model client, tool context. */
export interface Workspace {
  config: FaithhConfig
  root: string
  configFile?: string
  llm: LlmClient
  toolContext(signal: AbortSignal): ToolContext
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
  return {
    config,
    root,
    configFile: file,
    llm,
    toolContext: (signal) => ({
      root,
      signal,
      limits: {
        outputChars: config.tools.outputChars,
        readBytes: config.tools.readBytes,
        commandTimeoutMs: config.tools.commandTimeoutSeconds * 1000,
      },
    }),
  }
}
