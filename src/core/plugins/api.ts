import {z} from 'zod'

import {defineTool, fail, ok, type Tool} from '../tools/tool.js'

/**
 * Handed to a plugin's tool factory. Plugins build their schemas with faithh's own zod, so the
 * schemas convert to the JSON schema Ollama needs whatever zod version the plugin would have pulled in,
 * and a plugin installed on its own (no faithh in its node_modules) still works.
 */
export const pluginApi = {z, defineTool, ok, fail}

export type FaithhPluginApi = typeof pluginApi

/**
 * The default export of a plugin's tools module: the tools themselves, or a function of the API that
 * returns them (the recommended form).
 */
export type ToolFactory = (api: FaithhPluginApi) => Tool[] | Promise<Tool[]>
export type PluginToolsExport = Tool[] | ToolFactory
