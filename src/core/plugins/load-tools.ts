import {realpath} from 'node:fs/promises'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

import {toJsonSchema, type Tool} from '../tools/tool.js'
import {pluginApi} from './api.js'
import type {FaithhPlugin} from './discover.js'

const TOOL_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/
const MAX_DESCRIPTION = 1024

/**
 * Imports the tools of every plugin. Called only when an agent is about to run (never for --help or
 * --version). A module that fails to import, a factory that throws, or a tool of the wrong shape is a
 * warning naming the plugin, and that tool (or plugin) is skipped: a broken plugin never stops faithh.
 * `reserved`: names already taken (the built-ins); the first plugin to claim a name keeps it.
 */
export async function loadPluginTools(plugins: FaithhPlugin[], reserved: string[]): Promise<{tools: Tool[]; warnings: string[]}> {
  const taken = new Set(reserved)
  const tools: Tool[] = []
  const warnings: string[] = []
  for (const plugin of plugins) {
    if (!plugin.toolsModule) continue
    let exported: unknown
    try {
      exported = await importTools(plugin)
    } catch (error) {
      warnings.push(`plugin ${plugin.name} skipped: its tools module failed to load (${(error as Error)?.message ?? String(error)})`)
      continue
    }
    if (!Array.isArray(exported)) {
      warnings.push(`plugin ${plugin.name} skipped: its tools module must export default an array of tools or a function returning one`)
      continue
    }
    for (const [index, candidate] of exported.entries()) {
      const problem = toolProblem(candidate)
      const label = typeof (candidate as Tool)?.name === 'string' ? (candidate as Tool).name : `#${index + 1}`
      if (problem) {
        warnings.push(`plugin ${plugin.name}: tool ${label} skipped: ${problem}`)
      } else if (taken.has(label)) {
        warnings.push(`plugin ${plugin.name}: tool ${label} skipped: the name is already taken`)
      } else {
        taken.add(label)
        tools.push(candidate as Tool)
      }
    }
  }
  return {tools, warnings}
}

async function importTools(plugin: FaithhPlugin): Promise<unknown> {
  const real = await realpath(plugin.toolsModule!)
  const root = await realpath(plugin.root)
  // A symlink inside the plugin must not lead the import elsewhere.
  if (!real.startsWith(root + path.sep)) throw new Error(`${plugin.toolsModule} resolves outside the plugin's folder`)
  const module = (await import(pathToFileURL(real).href)) as {default?: unknown}
  const exported = module.default
  return typeof exported === 'function' ? await (exported as (api: typeof pluginApi) => unknown)(pluginApi) : exported
}

/** Why this value is not a usable tool, or undefined when it is one. */
export function toolProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not an object'
  const tool = value as Record<string, unknown>
  if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) return 'name must be letters, digits, _ or -, starting with a letter'
  if (typeof tool.description !== 'string' || tool.description.trim() === '') return 'description must be a non-empty string'
  if (tool.description.length > MAX_DESCRIPTION) return `description is longer than ${MAX_DESCRIPTION} characters (it is sent with every request)`
  if (typeof tool.readOnly !== 'boolean') return 'readOnly must be true or false'
  if (typeof tool.execute !== 'function') return 'execute must be a function'
  const schema = tool.schema as {safeParse?: unknown; _zod?: {def?: {type?: string}}} | undefined
  if (typeof schema?.safeParse !== 'function' || schema._zod?.def?.type !== 'object')
    return 'schema must be a zod 4 object schema (use the z from the plugin API)'
  try {
    toJsonSchema(value as Tool)
  } catch (error) {
    return `schema cannot be converted to JSON schema: ${(error as Error).message}`
  }
  return undefined
}
