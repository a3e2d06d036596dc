import {readFile} from 'node:fs/promises'
import path from 'node:path'

import {CONFIG_FILE, loadConfig, projectRoot, userConfigFile, type LoadConfigOptions, type LoadedConfig} from '../config/load.js'
import type {FaithhConfig} from '../config/schema.js'
import {resolveMcpServers, type McpServerSpec} from './server-config.js'

export interface ConfiguredServer {
  spec: McpServerSpec
  /** The file that declares it: the project's wins over the user's for the same name. */
  source: 'project' | 'user'
  file: string
  /** The entry as the project's file has it (what trust is about); undefined for the user's. */
  entry?: unknown
}

export interface ConfiguredServers {
  root: string
  config: FaithhConfig
  servers: ConfiguredServer[]
  /** The project's config file (.faithh/config.json), whether or not it exists yet. */
  projectFile: string
  /** The user's config file, when the environment names a home. */
  userFile?: string
}

/** The servers of the merged configuration, each with the file it comes from; nothing is started. */
export async function configuredServers(options: LoadConfigOptions): Promise<ConfiguredServers> {
  return serversOf(await loadConfig(options), options.env ?? process.env)
}

/** The same, for a configuration already loaded. */
export async function serversOf({config, root}: Pick<LoadedConfig, 'config' | 'root'>, env: NodeJS.ProcessEnv = process.env): Promise<ConfiguredServers> {
  const projectFile = path.join(root, CONFIG_FILE)
  const userFile = userConfigFile(env)
  const inProject = await projectEntries(projectFile)
  const specs = resolveMcpServers(config.mcpServers, {root, env})
  return {
    root,
    config,
    projectFile,
    userFile,
    servers: specs.map((spec): ConfiguredServer => {
      if (inProject.has(spec.name) || !userFile)
        return {spec, source: 'project', file: projectFile, entry: inProject.get(spec.name) ?? config.mcpServers[spec.name]}
      return {spec, source: 'user', file: userFile}
    }),
  }
}

/** Where `faithh mcp add` writes: the project's file, or with --user the user's. */
export async function configFiles({cwd, env = process.env}: LoadConfigOptions): Promise<{projectFile: string; userFile?: string}> {
  return {projectFile: path.join(await projectRoot(cwd), CONFIG_FILE), userFile: userConfigFile(env)}
}

async function projectEntries(file: string): Promise<Map<string, unknown>> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as {mcpServers?: Record<string, unknown>}
    return new Map(Object.entries(data.mcpServers ?? {}))
  } catch {
    return new Map()
  }
}
