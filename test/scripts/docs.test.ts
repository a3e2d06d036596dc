import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {configJsonSchema, generateDocs, SCHEMA_FILE} from '../../scripts/docs.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

interface Node {
  description?: string
  properties?: Record<string, Node>
}

describe('generated reference docs', () => {
  it('README.md and schema/config.schema.json match their sources (config schema, oclif.manifest.json)', async () => {
    const drifted: string[] = []
    for (const file of await generateDocs(ROOT)) {
      if ((await readFile(path.join(ROOT, file.path), 'utf8').catch(() => '')) !== file.content) drifted.push(file.path)
    }

    expect(drifted, `out of date: ${drifted.join(', ')} — run \`npm run docs\` and commit the result`).toEqual([])
  })

  it('every config key says what it is for (its description is the docs, in editors and the README)', () => {
    const missing: string[] = []
    const walk = (node: Node, prefix: string) => {
      for (const [name, child] of Object.entries(node.properties ?? {})) {
        if (!child.description?.trim()) missing.push(prefix + name)
        walk(child, `${prefix}${name}.`)
      }
    }

    walk(configJsonSchema() as Node, '')
    expect(missing).toEqual([])
  })

  it('ships the schema for editors: in the package files, and as faithh/config.schema.json', async () => {
    const pkg = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as {files: string[]; exports: Record<string, string>}
    expect(pkg.files).toContain(path.dirname(SCHEMA_FILE))
    expect(pkg.exports['./config.schema.json']).toBe(`./${SCHEMA_FILE}`)
    const schema = JSON.parse(await readFile(path.join(ROOT, SCHEMA_FILE), 'utf8'))
    expect(schema).toMatchObject({type: 'object', additionalProperties: false, properties: {$schema: {type: 'string'}, model: {default: 'qwen2.5-coder:7b'}}})
  })
})
