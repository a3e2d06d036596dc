import type {Dirent} from 'node:fs'
import {readdir, readFile, realpath} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {z} from 'zod'

import {knownNames, manifestSchema, MANIFEST_FILE, type TemplateManifest} from './manifest.js'
import {describeProblem, templateProblems} from './render.js'
import {TemplateError} from './template-error.js'

/** Where a template comes from; earlier kinds win: a project's own template overrides a plugin's, which overrides a built-in. */
export type TemplateOrigin = 'project' | 'plugin' | 'built-in'

export interface TemplateSource {
  origin: TemplateOrigin
  /** A folder holding one folder per template. */
  dir: string
  /** The plugin's package name, for origin "plugin". */
  plugin?: string
}

export interface TemplateFile {
  from: string
  /** Output path pattern, relative to the output folder. */
  to: string
  text: string
}

export interface Template {
  name: string
  origin: TemplateOrigin
  plugin?: string
  dir: string
  manifest: TemplateManifest
  files: TemplateFile[]
  /** Templates of the same name this one hides, as "plugin x" or "built-in". */
  overrides: string[]
}

const TEMPLATE_NAME = /^[a-z][a-z0-9_-]*$/

/** The templates/ folder shipped with faithh (two levels above both src/core/templates and dist/core/templates). */
export function builtinTemplatesDir(): string {
  return fileURLToPath(new URL('../../../templates', import.meta.url))
}

/** Project first, then plugins in the order oclif lists them, then built-ins. */
export function templateSources(root: string, plugins: {name: string; dir: string}[] = []): TemplateSource[] {
  return [
    {origin: 'project', dir: path.join(root, '.faithh', 'templates')},
    ...plugins.map((plugin) => ({origin: 'plugin' as const, dir: plugin.dir, plugin: plugin.name})),
    {origin: 'built-in', dir: builtinTemplatesDir()},
  ]
}

/** Every usable template, once per name (the winning source); broken ones become warnings. */
export async function listTemplates(sources: TemplateSource[]): Promise<{templates: Template[]; warnings: string[]}> {
  const byName = new Map<string, Template>()
  const warnings: string[] = []
  for (const source of sources) {
    for (const name of await templateNames(source, warnings)) {
      const winner = byName.get(name)
      if (winner) {
        winner.overrides.push(describeSource(source))
        continue
      }
      try {
        byName.set(name, await readTemplate(name, source))
      } catch (error) {
        warnings.push(`skipped template ${name} (${describeSource(source)}): ${(error as Error).message}`)
      }
    }
  }
  return {templates: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)), warnings}
}

/** The template of this name from the first source that has it; a broken override is an error, not a fallback. */
export async function loadTemplate(name: string, sources: TemplateSource[]): Promise<Template> {
  if (!TEMPLATE_NAME.test(name)) throw new TemplateError(`"${name}" is not a template name (lowercase letters, digits, - and _) — see \`faithh gen --list\``)
  const found: {source: TemplateSource}[] = []
  for (const source of sources) {
    if ((await templateNames(source, [])).includes(name)) found.push({source})
  }
  const first = found[0]
  if (!first) throw new TemplateError(`no template named "${name}" — \`faithh gen --list\` shows the templates`)
  try {
    const template = await readTemplate(name, first.source)
    template.overrides = found.slice(1).map(({source}) => describeSource(source))
    return template
  } catch (error) {
    throw new TemplateError(`template ${name} (${describeSource(first.source)}) is broken: ${(error as Error).message}`)
  }
}

export function describeSource(source: {origin: TemplateOrigin; plugin?: string}): string {
  return source.origin === 'plugin' ? `plugin ${source.plugin}` : source.origin
}

async function templateNames(source: TemplateSource, warnings: string[]): Promise<string[]> {
  let entries: Dirent[]
  try {
    entries = await readdir(source.dir, {withFileTypes: true})
  } catch (error) {
    if (source.origin === 'plugin')
      warnings.push(`plugin ${source.plugin}: its templates folder ${source.dir} cannot be read (${(error as NodeJS.ErrnoException).code})`)
    return []
  }
  const names: string[] = []
  for (const entry of entries) {
    if (!entry.isDirectory() || !TEMPLATE_NAME.test(entry.name)) continue
    const hasManifest = await readFile(path.join(source.dir, entry.name, MANIFEST_FILE)).then(
      () => true,
      () => false,
    )
    if (hasManifest) names.push(entry.name)
  }
  return names.sort()
}

async function readTemplate(name: string, source: TemplateSource): Promise<Template> {
  const dir = await realpath(path.join(source.dir, name))
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path.join(dir, MANIFEST_FILE), 'utf8'))
  } catch (error) {
    throw new Error(`${MANIFEST_FILE} is not valid JSON: ${(error as Error).message}`)
  }
  const parsed = manifestSchema.safeParse(raw)
  if (!parsed.success) throw new Error(`${MANIFEST_FILE}: ${formatIssues(parsed.error)}`)
  const manifest = parsed.data

  const known = knownNames(manifest)
  const check = (where: string, text: string) => {
    const problems = templateProblems(text, known)
    if (problems.length > 0) throw new Error(`${where}: ${problems.map(describeProblem).join('; ')}`)
  }
  for (const [variable, spec] of Object.entries(manifest.variables)) {
    if (typeof spec.default === 'string') check(`default of ${variable}`, spec.default)
  }

  const files: TemplateFile[] = []
  for (const file of manifest.files) {
    check(`output path ${file.to}`, file.to)
    // realpath: a symlink inside a template folder must not pull in a file from elsewhere.
    const abs = await realpath(path.join(dir, file.from)).catch(() => {
      throw new Error(`${file.from} is listed in ${MANIFEST_FILE} but does not exist`)
    })
    if (!abs.startsWith(dir + path.sep)) throw new Error(`${file.from} points outside the template folder`)
    const text = await readFile(abs, 'utf8')
    check(file.from, text)
    files.push({from: file.from, to: file.to, text})
  }

  return {name, origin: source.origin, plugin: source.plugin, dir, manifest, files, overrides: []}
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ')
}
