import path from 'node:path'
import {z} from 'zod'

/**
 * The part of a plugin's package.json that faithh reads, under the `faithh` key:
 *   "faithh": {"tools": "./tools.js", "templates": "./templates"}
 * Both optional, both relative to the package root and inside it. Commands need no entry: they are
 * ordinary oclif commands, found through the package's `oclif` section.
 */
export const pluginDeclarationSchema = z.strictObject({
  tools: z.string().min(1).optional(),
  templates: z.string().min(1).optional(),
})

/** What discovery needs from a plugin package: oclif's Config#getPluginsList() entries have this shape. */
export interface PluginPackage {
  name: string
  root: string
  pjson: unknown
}

export interface FaithhPlugin {
  name: string
  root: string
  /** Absolute path of the module whose default export gives the plugin's agent tools. */
  toolsModule?: string
  /** Absolute path of the folder holding the plugin's templates, one folder each. */
  templatesDir?: string
}

/**
 * The faithh plugins among the packages oclif loaded. Packages without a `faithh` key (oclif's own
 * plugins) are not ours and pass silently; a bad declaration is a warning and that plugin is skipped.
 */
export function discoverPlugins(packages: PluginPackage[]): {plugins: FaithhPlugin[]; warnings: string[]} {
  const plugins: FaithhPlugin[] = []
  const warnings: string[] = []
  // oclif loads plugins concurrently, so its list order varies between runs. Sort by name: which plugin
  // keeps a contested tool name, and the order of warnings, must not change from one run to the next.
  const sorted = [...packages].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const pkg of sorted) {
    const declared = (pkg.pjson as {faithh?: unknown} | undefined)?.faithh
    if (declared === undefined) continue
    const parsed = pluginDeclarationSchema.safeParse(declared)
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${['faithh', ...issue.path].join('.')}: ${issue.message}`).join('; ')
      warnings.push(`plugin ${pkg.name} skipped: bad "faithh" entry in its package.json (${issues})`)
      continue
    }
    try {
      plugins.push({
        name: pkg.name,
        root: pkg.root,
        toolsModule: parsed.data.tools === undefined ? undefined : inside(pkg.root, parsed.data.tools, 'faithh.tools'),
        templatesDir: parsed.data.templates === undefined ? undefined : inside(pkg.root, parsed.data.templates, 'faithh.templates'),
      })
    } catch (error) {
      warnings.push(`plugin ${pkg.name} skipped: ${(error as Error).message}`)
    }
  }
  return {plugins, warnings}
}

function inside(root: string, rel: string, key: string): string {
  const abs = path.resolve(root, rel)
  const back = path.relative(root, abs)
  if (back === '..' || back.startsWith('..' + path.sep) || path.isAbsolute(back)) throw new Error(`${key} "${rel}" points outside the plugin's folder`)
  return abs
}
