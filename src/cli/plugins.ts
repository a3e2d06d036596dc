import type {Config} from '@oclif/core'

import {discoverPlugins, type FaithhPlugin} from '../core/plugins/discover.js'
import {builtinTools} from '../core/tools/index.js'
import {searchCodebaseTool} from '../core/tools/search-codebase.js'
import type {Tool} from '../core/tools/tool.js'

const reported = new Set<string>()

/** Each plugin problem is said once per run, on stderr, however often the plugin list is read. */
export function warnOnce(message: string): void {
  if (reported.has(message)) return
  reported.add(message)
  process.stderr.write(`warning: ${message}\n`)
}

/** The faithh plugins among the ones oclif loaded (installed, linked, or listed in package.json). */
export function faithhPlugins(config: Config): FaithhPlugin[] {
  const {plugins, warnings} = discoverPlugins(config.getPluginsList())
  for (const warning of warnings) warnOnce(warning)
  return plugins
}

/**
 * The plugins' agent tools; imported here, when an agent command runs, and never at start-up. The
 * loader itself is imported only when a plugin has tools.
 */
export async function pluginTools(config: Config): Promise<Tool[]> {
  const plugins = faithhPlugins(config)
  if (!plugins.some((plugin) => plugin.toolsModule)) return []
  const {loadPluginTools} = await import('../core/plugins/load-tools.js')
  const reserved = [...builtinTools, searchCodebaseTool].map((tool) => tool.name)
  const {tools, warnings} = await loadPluginTools(plugins, reserved)
  for (const warning of warnings) warnOnce(warning)
  return tools
}

/** Template folders the plugins contribute, in plugin order. */
export function pluginTemplateDirs(config: Config): {name: string; dir: string}[] {
  return faithhPlugins(config).flatMap((plugin) => (plugin.templatesDir ? [{name: plugin.name, dir: plugin.templatesDir}] : []))
}
