import {readFile, realpath} from 'node:fs/promises'
import path from 'node:path'

import {CONFIG_FILE, findProjectRoot, loadConfig, userConfigFile, type LoadConfigOptions} from '../config/load.js'
import {resolveMcpServers, type McpServerSpec} from './server-config.js'

export interface ConfiguredServer {
  spec: McpServerSpec
  /** The file that declares it: the project's wins over the user's for the same name. */
  source: 'project' | 'user'
  file: string
}

export interface ConfiguredServers {
  root: string
  servers: ConfiguredServer[]
  /** The project's config file (.faithh/config.json), whether or not it exists yet. */
  projectFile: string
  /** The user's config file, when the environment names a home. */
  userFile?: string
}

/** The servers of the merged configuration, each with the file it comes from; nothing is started. */
export async function configuredServers(options: LoadConfigOptions): Promise<ConfiguredServers> {
  const {config, root} = await loadConfig(options)
  const env = options.env ?? process.env
  const projectFile = path.join(root, CONFIG_FILE)
  const userFile = userConfigFile(env)
  const inProject = await serverNames(projectFile)
  const specs = resolveMcpServers(config.mcpServers, {root, env})
  return {
    root,
    projectFile,
    userFile,
    servers: specs.map((spec) => (inProject.has(spec.name) || !userFile ? {spec, source: 'project', file: projectFile} : {spec, source: 'user', file: userFile})),
  }
}

/** Where `faithh mcp add` writes: the project's file, or with --user the user's. */
export async function configFiles({cwd, env = process.env}: LoadConfigOptions): Promise<{projectFile: string; userFile?: string}> {
  const root = await realpath(findProjectRoot(path.resolve(cwd)))
  return {projectFile: path.join(root, CONFIG_FILE), userFile: userConfigFile(env)}
}

async function serverNames(file: string): Promise<Set<string>> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as {mcpServers?: Record<string, unknown>}
    return new Set(Object.keys(data.mcpServers ?? {}))
  } catch {
    return new Set()
  }
}
