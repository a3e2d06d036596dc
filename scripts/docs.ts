/**
 * What is generated from the sources, so that it cannot drift from them:
 * - schema/config.schema.json: the JSON Schema of .faithh/config.json, from the zod schema and its
 *   descriptions (shipped in the package, for editors);
 * - the README's generated blocks: the configuration and permissions tables from the same schema,
 *   and each command's flag table from oclif.manifest.json (written by `npm run build`).
 * `npm run docs` (scripts/write-docs.ts) writes them; `npm test` fails when they differ (test/scripts/docs.test.ts).
 */
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {z} from 'zod'

import {CONFIG_ENV_VARS} from '../src/core/config/load.js'
import {configSchema} from '../src/core/config/schema.js'

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string
  content: string
}

interface JsonSchema {
  type?: string | string[]
  description?: string
  default?: unknown
  properties?: Record<string, JsonSchema>
  enum?: unknown[]
}

interface ManifestFlag {
  name: string
  char?: string
  description?: string
  type: 'option' | 'boolean'
  helpValue?: string
  default?: unknown
  hidden?: boolean
}

interface Manifest {
  commands: Record<string, {flags: Record<string, ManifestFlag>}>
}

export const SCHEMA_FILE = 'schema/config.schema.json'

/** A block of README.md between `<!-- generated: NAME -->` and `<!-- end generated -->`. */
const BLOCK = /(<!-- generated: ([^>]+?) -->\n)[\s\S]*?(<!-- end generated -->)/g

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, {io: 'input'}) as Record<string, unknown>
  return {...schema, title: 'faithh configuration (.faithh/config.json)'}
}

export async function generateDocs(root: string): Promise<GeneratedFile[]> {
  const schema = configJsonSchema() as JsonSchema
  const manifest = JSON.parse(await readFile(path.join(root, 'oclif.manifest.json'), 'utf8')) as Manifest
  const readme = await readFile(path.join(root, 'README.md'), 'utf8')
  const unused = new Set(Object.keys(manifest.commands).map((id) => `flags of faithh ${id}`))
  const blocks: Record<string, () => string> = {
    config: () => configTable(schema),
    permissions: () => permissionsTable(schema.properties!.permissions!),
    ...Object.fromEntries(Object.entries(manifest.commands).map(([id, command]) => [`flags of faithh ${id}`, () => flagTable(command.flags)])),
  }

  const content = readme.replace(BLOCK, (_match, open: string, name: string, close: string) => {
    const render = blocks[name]
    if (!render) throw new Error(`README.md has a generated block "${name}" that nothing generates`)
    unused.delete(name)
    return `${open}${render()}${close}`
  })
  if (unused.size > 0) throw new Error(`README.md has no generated block for: ${[...unused].join(', ')}`)

  return [
    {path: SCHEMA_FILE, content: JSON.stringify(configJsonSchema(), null, 2) + '\n'},
    {path: 'README.md', content},
  ]
}

function configTable(schema: JsonSchema): string {
  const rows = ['| key | env | default | meaning |', '| --- | --- | --- | --- |']
  for (const [key, property] of leaves(schema)) {
    if (key === '$schema') continue
    if (key === 'permissions') {
      rows.push(`| \`permissions.*\` | | see [Safety](#safety-the-permission-policy) | ${cell(property.description)} |`)
      continue
    }

    const env = CONFIG_ENV_VARS[key]
    rows.push(`| \`${key}\` | ${env ? `\`${env}\`` : ''} | ${defaultOf(property)} | ${cell(property.description)} |`)
  }

  return rows.join('\n') + '\n'
}

function permissionsTable(schema: JsonSchema): string {
  const rows = ['| key (under `permissions`) | default | meaning |', '| --- | --- | --- |']
  for (const [key, property] of leaves(schema)) rows.push(`| \`${key}\` | ${defaultOf(property)} | ${cell(property.description)} |`)
  return rows.join('\n') + '\n'
}

/** Keys in order, dotted; an object with properties of its own is listed by its properties (permissions as one key). */
function leaves(schema: JsonSchema, prefix = ''): [string, JsonSchema][] {
  return Object.entries(schema.properties ?? {}).flatMap(([name, property]): [string, JsonSchema][] => {
    const key = prefix + name
    return property.properties && key !== 'permissions' ? leaves(property, `${key}.`) : [[key, property]]
  })
}

function defaultOf(property: JsonSchema): string {
  const value = property.default
  if (value === undefined) return 'unset'
  if (!Array.isArray(value)) return `\`${JSON.stringify(value).replace(/^"(.*)"$/, '$1')}\``
  if (value.length === 0) return '`[]`'
  return value.map((item) => `\`${String(item)}\``).join(', ')
}

function flagTable(flags: Record<string, ManifestFlag>): string {
  const rows = ['| flag | meaning |', '| --- | --- |']
  for (const flag of Object.values(flags)) {
    if (flag.hidden) continue
    const name = `${flag.char ? `-${flag.char}, ` : ''}--${flag.name}${flag.type === 'option' ? ` ${flag.helpValue ?? 'VALUE'}` : ''}`
    const fallback = flag.default === undefined || flag.default === false ? '' : ` (default: \`${String(flag.default)}\`)`
    rows.push(`| \`${name}\` | ${cell(flag.description)}${fallback} |`)
  }

  return rows.join('\n') + '\n'
}

function cell(text = ''): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}
