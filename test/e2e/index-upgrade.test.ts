import {existsSync} from 'node:fs'
import {readdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {requireBuild, runCli} from '../support/cli.js'
import {startFakeOllama, type FakeOllama} from '../support/fake-ollama.js'
import {makeProject, type Fixture} from '../support/fixture.js'
import {embedInputs, requireChroma} from '../support/rag.js'

const FILES = {
  'src/billing.ts': 'export function computeInvoiceTotal(lines) {\n  return lines.reduce((sum, line) => sum + line.amount, 0)\n}\n',
  'src/auth/session.ts': 'export function refreshSessionToken(session) {\n  return session.renew()\n}\n',
  'README.md': '# Shop\n\nInvoices and sessions.\n',
}

let ollama: FakeOllama
let chromaUrl: string
const fixtures: Fixture[] = []

beforeAll(async () => {
  requireBuild()
  chromaUrl = requireChroma()
  ollama = await startFakeOllama()
})

afterAll(async () => {
  await ollama.close()
  await Promise.all(fixtures.map((f) => f.cleanup()))
})

const cli = (root: string, args: string[]) => runCli(args, {cwd: root, host: ollama.url, env: {CHROMA_URL: chromaUrl}})
const indexDir = (root: string) => path.join(root, '.faithh/index')

describe('an index from an older faithh, or a damaged lexical index', () => {
  it('search says to run faithh index; faithh index reads the files again, keeps every vector, and search works', async () => {
    const fixture = await makeProject(FILES)
    fixtures.push(fixture)
    const first = await cli(fixture.root, ['index', '--json'])
    expect(first.exitCode, first.stderr).toBe(0)

    // What an older faithh left: a lexical-N.json and a manifest of that format, no lexical.bin.
    const manifestFile = path.join(indexDir(fixture.root), 'manifest.json')
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'))
    await writeFile(manifestFile, JSON.stringify({...manifest, lexicalFile: `lexical-${manifest.generation}.json`, lexicalVersion: 3}))
    await writeFile(path.join(indexDir(fixture.root), `lexical-${manifest.generation}.json`), '{"version":3,"files":[],"chunks":[],"postings":{}}')
    await rm(path.join(indexDir(fixture.root), 'lexical.bin'))
    // And a segment a killed run left half-written.
    await writeFile(path.join(indexDir(fixture.root), 'lexical.bin.99999.tmp'), 'half')

    const stale = await cli(fixture.root, ['search', 'computeInvoiceTotal'])
    expect(stale.exitCode).toBe(8)
    expect(stale.stderr.replace(/\s*\n\s*(›\s*)?/g, ' ')).toContain('made by an older faithh — run `faithh index` to update it')

    ollama.requests.length = 0
    const again = await cli(fixture.root, ['index', '--json'])
    expect(again.exitCode, again.stderr).toBe(0)
    const summary = JSON.parse(again.stdout)
    expect(summary.files).toMatchObject({total: 3, added: 0, changed: 0, unchanged: 3})
    expect(summary.chunks).toMatchObject({embedded: 0, reused: summary.chunks.total})
    expect(embedInputs(ollama).filter((input) => input.startsWith('search_document: '))).toEqual([])
    expect((await readdir(indexDir(fixture.root))).sort()).toEqual(['lexical.bin', 'manifest.json'])

    const search = await cli(fixture.root, ['search', '--files', '--json', 'computeInvoiceTotal'])
    expect(search.exitCode, search.stderr).toBe(0)
    const result = JSON.parse(search.stdout)
    expect(result.mode).toBe('hybrid')
    expect(result.files[0].path).toBe('src/billing.ts')
  })

  it('a damaged lexical.bin: search names it and says to run faithh index, which rebuilds it', async () => {
    const fixture = await makeProject(FILES)
    fixtures.push(fixture)
    expect((await cli(fixture.root, ['index'])).exitCode).toBe(0)
    await writeFile(path.join(indexDir(fixture.root), 'lexical.bin'), Buffer.alloc(3000, 1))

    const broken = await cli(fixture.root, ['search', 'refreshSessionToken'])
    expect(broken.exitCode).toBe(8)
    expect(broken.stderr.replace(/\s*\n\s*(›\s*)?/g, ' ')).toMatch(
      /lexical\.bin is not a lexical index of this faithh version — run `faithh index` to rebuild it/,
    )

    const rebuilt = await cli(fixture.root, ['index', '--json'])
    expect(rebuilt.exitCode, rebuilt.stderr).toBe(0)
    expect(JSON.parse(rebuilt.stdout).chunks.embedded).toBe(0)
    const search = await cli(fixture.root, ['search', '--json', 'refreshSessionToken'])
    expect(JSON.parse(search.stdout).hits[0]).toMatchObject({path: 'src/auth/session.ts', symbol: 'refreshSessionToken'})
  })

  it('a search loads the Chroma client only for an index with vectors', async () => {
    const fixture = await makeProject(FILES)
    fixtures.push(fixture)
    // Notes every chromadb module the CLI loads: an ES module resolve hook (node:module register), and
    // the CommonJS resolver, which the bundled CLI requires chromadb through.
    const log = path.join(fixture.root, 'loaded.log')
    await writeFile(
      path.join(fixture.root, 'hooks.mjs'),
      `import {appendFileSync} from 'node:fs'\nexport async function resolve(specifier, context, next) {\n  const resolved = await next(specifier, context)\n  if (resolved.url.includes('/chromadb/')) appendFileSync(${JSON.stringify(log)}, resolved.url + '\\n')\n  return resolved\n}\n`,
    )
    await writeFile(path.join(fixture.root, 'register.mjs'), "import {register} from 'node:module'\nregister('./hooks.mjs', import.meta.url)\n")
    await writeFile(
      path.join(fixture.root, 'watch.cjs'),
      `const Module = require('node:module')\nconst {appendFileSync} = require('node:fs')\nconst resolve = Module._resolveFilename\nModule._resolveFilename = function (...args) {\n  const file = resolve.apply(this, args)\n  if (file.includes('/chromadb/')) appendFileSync(${JSON.stringify(log)}, file + '\\n')\n  return file\n}\n`,
    )
    const watched = {NODE_OPTIONS: `--import=${path.join(fixture.root, 'register.mjs')} --require=${path.join(fixture.root, 'watch.cjs')}`}
    const loaded = async () => (existsSync(log) ? (await readFile(log, 'utf8')).trim() : '')

    const noOllama = 'http://127.0.0.1:9'
    expect((await runCli(['index'], {cwd: fixture.root, host: noOllama})).exitCode).toBe(0)
    const lexical = await runCli(['search', '--files', 'computeInvoiceTotal'], {cwd: fixture.root, host: noOllama, env: watched})
    expect(lexical.exitCode, lexical.stderr).toBe(0)
    expect(lexical.stdout).toContain('src/billing.ts')
    expect(await loaded()).toBe('')

    // The same watch sees it when vectors take part: the check above can fail.
    expect((await cli(fixture.root, ['index'])).exitCode).toBe(0)
    const hybrid = await runCli(['search', '--files', 'computeInvoiceTotal'], {cwd: fixture.root, host: ollama.url, env: {...watched, CHROMA_URL: chromaUrl}})
    expect(hybrid.exitCode, hybrid.stderr).toBe(0)
    expect(await loaded()).toContain('/chromadb/')
  })
})
