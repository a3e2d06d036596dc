import {existsSync} from 'node:fs'
import {readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {DEFAULT_FORBIDDEN} from '../../src/core/permissions/config.js'
import {cliFixture} from '../support/cli-fixture.js'
import {startFakeOllama} from '../support/fake-ollama.js'
import {chromaIds, embedInputs, FILES, filler, fn, manifestChunkIds, readManifestFile, requireChroma, startEmbedGate, tempProject} from '../support/rag.js'

const chromaUrl = requireChroma()
const {ollama, run} = await cliFixture()
const project = (files: Record<string, string> = FILES) => tempProject(files)

/** faithh in process, against the shared test Chroma (CHROMA_URL, as a user would set it) unless env says otherwise. */
const cli = (root: string, args: string[], env: Record<string, string | undefined> = {}, host = ollama.url) =>
  run(args, {cwd: root, host, env: {CHROMA_URL: chromaUrl, ...env}})

const json = <T = any>(stdout: string): T => JSON.parse(stdout) as T
/** Error lines are read as one line, however they were wrapped. */
const flat = (stderr: string) => stderr.replace(/\s*\n\s*(›\s*)?/g, ' ')

describe('faithh index', () => {
  it('indexes code into chunks with vectors in Chroma and a lexical index, respecting .gitignore and skipping binaries', async () => {
    const {root} = await project()
    const result = await cli(root, ['index', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const summary = json(result.stdout)
    expect(summary.files).toMatchObject({total: 5, added: 5, removed: 0, skippedBinary: 1})
    expect(summary.vectors).toMatchObject({enabled: true, model: 'nomic-embed-text', store: chromaUrl})

    const manifest = await readManifestFile(root)
    expect(Object.keys(manifest!.files).sort()).toEqual(['.gitignore', 'docs/guide.md', 'lib/report.py', 'src/auth/session.ts', 'src/billing.ts'])
    expect(manifest!.files['src/billing.ts']!.chunks.map((c) => c.symbol)).toEqual(['computeInvoiceTotal', 'applyDiscountCode'])
    // Every chunk was embedded once, with nomic's document prefix, and is in Chroma.
    const inputs = embedInputs(ollama)
    expect(inputs).toHaveLength(summary.chunks.total)
    expect(inputs.every((input) => input.startsWith('search_document: '))).toBe(true)
    expect(await chromaIds(chromaUrl, root)).toEqual(manifestChunkIds(manifest))
  })

  it('is incremental: re-embeds only the changed chunk, embeds new files, drops removed ones, and does nothing when nothing changed', async () => {
    const {root} = await project()
    expect((await cli(root, ['index'])).exitCode).toBe(0)
    const before = await readManifestFile(root)

    // Nothing changed: no embedding, no Chroma write, no new commit.
    ollama.requests.length = 0
    const idle = await cli(root, ['index', '--json'])
    expect(idle.exitCode, idle.stderr).toBe(0)
    expect(json(idle.stdout).files).toMatchObject({unchanged: 5, added: 0, changed: 0, removed: 0})
    expect(embedInputs(ollama)).toEqual([])
    expect((await readManifestFile(root))!.generation).toBe(before!.generation)

    // One of two functions edited, one file added, one deleted.
    const billing = path.join(root, 'src/billing.ts')
    await writeFile(billing, (await readFile(billing, 'utf8')).replace("'discount value number 3'", "'discount value number three'"))
    await writeFile(path.join(root, 'src/new.ts'), fn('brandNewHelper', filler('fresh')))
    await rm(path.join(root, 'src/auth/session.ts'))
    ollama.requests.length = 0
    const result = await cli(root, ['index', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(json(result.stdout).files).toMatchObject({added: 1, changed: 1, removed: 1, unchanged: 3})
    expect(json(result.stdout).chunks).toMatchObject({embedded: 2, reused: 1})

    const inputs = embedInputs(ollama)
    expect(inputs).toHaveLength(2)
    expect(inputs.find((i) => i.includes('applyDiscountCode'))).toContain('discount value number three')
    expect(inputs.find((i) => i.includes('brandNewHelper'))).toBeDefined()

    const after = await readManifestFile(root)
    expect(after!.files['src/auth/session.ts']).toBeUndefined()
    expect(after!.files['src/billing.ts']!.chunks[0]!.id).toBe(before!.files['src/billing.ts']!.chunks[0]!.id)
    // Chroma holds exactly the committed chunks: the edited chunk's old vector and the deleted file's are gone.
    expect(await chromaIds(chromaUrl, root)).toEqual(manifestChunkIds(after))

    const search = await cli(root, ['search', 'refreshSessionToken', '--json'])
    expect(json(search.stdout).hits.map((h: {path: string}) => h.path)).not.toContain('src/auth/session.ts')
  })

  it('applies rag.ignore and rag.maxFileBytes from the config file', async () => {
    const {root} = await project({
      ...FILES,
      '.faithh/config.json': JSON.stringify({rag: {ignore: ['docs/**', '*.py'], maxFileBytes: 1024}}),
    })
    const result = await cli(root, ['index', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(json(result.stdout).files).toMatchObject({skippedLarge: 2})
    expect(Object.keys((await readManifestFile(root))!.files).sort()).toEqual(['.gitignore'])
  })

  it('never indexes a file the permissions forbid (a .env, a key), so no search can show it; forbidding one later drops it', async () => {
    const {root} = await project({
      ...FILES,
      '.env': 'STRIPE_KEY=sk_live_hushhush\n',
      'deploy/id_rsa': '-----BEGIN OPENSSH PRIVATE KEY-----\nhushhushkey\n',
      'src/secrets.ts': 'export const vaultToken = "hushhush-vault"\n',
    })
    expect((await cli(root, ['index', '--json'])).exitCode).toBe(0)
    let indexed = Object.keys((await readManifestFile(root))!.files)
    expect(indexed).not.toContain('.env')
    expect(indexed).not.toContain('deploy/id_rsa')
    expect(indexed).toContain('src/secrets.ts')
    const found = await cli(root, ['search', 'STRIPE_KEY sk_live_hushhush hushhushkey', '--files', '--json'], {
      OLLAMA_HOST: 'http://127.0.0.1:9',
      CHROMA_URL: '',
    })
    expect(found.exitCode, found.stderr).toBe(0)
    const shown = JSON.stringify(JSON.parse(found.stdout).files)
    expect(shown).not.toContain('sk_live_hushhush')
    expect(shown).not.toContain('hushhushkey')

    await writeFile(path.join(root, '.faithh/config.json'), JSON.stringify({permissions: {forbidden: [...DEFAULT_FORBIDDEN, 'src/secrets.ts']}}))
    expect((await cli(root, ['index', '--json'])).exitCode).toBe(0)
    indexed = Object.keys((await readManifestFile(root))!.files)
    expect(indexed).not.toContain('src/secrets.ts')
    const again = await cli(root, ['search', 'vaultToken hushhush', '--json'], {OLLAMA_HOST: 'http://127.0.0.1:9', CHROMA_URL: ''})
    expect(again.exitCode, again.stderr).toBe(0)
    expect(JSON.stringify(JSON.parse(again.stdout).hits)).not.toContain('hushhush')
  })

  it('an embedding failure on batch 3 keeps the finished files; a rerun embeds only the rest', async () => {
    const files = Object.fromEntries(Array.from({length: 12}, (_, i) => [`src/mod${i}.ts`, fn(`handler${i}`, filler(`m${i}_`))]))
    const {root} = await project({...files, '.faithh/config.json': JSON.stringify({rag: {batchSize: 2}})})
    const gate = await startEmbedGate(ollama.url, {failAt: 3})
    try {
      const failed = await cli(root, ['index'], {}, gate.url)
      expect(failed.exitCode).toBe(1)
      expect(flat(failed.stderr)).toContain('answered 500: fake failure: the embedding runner crashed')
      expect(flat(failed.stderr)).toContain('run `faithh index` again to finish')
    } finally {
      await gate.close()
    }

    const partial = await readManifestFile(root)
    // Batches 1 and 2 (four chunks, one file each) finished before the failure.
    expect(Object.keys(partial!.files)).toHaveLength(4)
    ollama.requests.length = 0
    const rerun = await cli(root, ['index', '--json'])
    expect(rerun.exitCode, rerun.stderr).toBe(0)
    expect(embedInputs(ollama)).toHaveLength(8)
    const manifest = await readManifestFile(root)
    expect(Object.keys(manifest!.files)).toHaveLength(12)
    expect(await chromaIds(chromaUrl, root)).toEqual(manifestChunkIds(manifest))
  })

  it('--rebuild forgets the index and embeds everything again', async () => {
    const {root} = await project()
    await cli(root, ['index'])
    const total = embedInputs(ollama).length
    ollama.requests.length = 0
    const result = await cli(root, ['index', '--rebuild', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(json(result.stdout).files.added).toBe(5)
    expect(embedInputs(ollama)).toHaveLength(total)
    expect(await chromaIds(chromaUrl, root)).toEqual(manifestChunkIds(await readManifestFile(root)))
  })

  it('indexes a folder alone when given one, leaving the rest of the index as it was', async () => {
    const {root} = await project()
    await cli(root, ['index'])
    await rm(path.join(root, 'lib'), {recursive: true})
    await writeFile(path.join(root, 'src/extra.ts'), fn('extraThing', filler('extra')))
    const result = await cli(root, ['index', 'src', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(json(result.stdout)).toMatchObject({scope: 'src', files: {added: 1, removed: 0}})
    const manifest = await readManifestFile(root)
    expect(manifest!.files['lib/report.py']).toBeDefined() // outside the folder: untouched until a full index
    expect(manifest!.files['src/extra.ts']).toBeDefined()
  })
})

describe('Chroma: embedded by default, or the server the user names', () => {
  it('uses the server given with --chroma-url or rag.chromaUrl, and starts none of its own', async () => {
    const viaFlag = await project()
    const flag = await cli(viaFlag.root, ['index', '--chroma-url', chromaUrl, '--json'], {CHROMA_URL: undefined})
    expect(flag.exitCode, flag.stderr).toBe(0)
    expect(json(flag.stdout).vectors.store).toBe(chromaUrl)
    expect(existsSync(path.join(viaFlag.root, '.faithh/chroma'))).toBe(false)
    expect(await chromaIds(chromaUrl, viaFlag.root)).toHaveLength(json(flag.stdout).chunks.total)

    const viaConfig = await project({...FILES, '.faithh/config.json': JSON.stringify({rag: {chromaUrl}})})
    const config = await cli(viaConfig.root, ['index', '--json'], {CHROMA_URL: undefined})
    expect(config.exitCode, config.stderr).toBe(0)
    expect(json(config.stdout).vectors.store).toBe(chromaUrl)
    expect(existsSync(path.join(viaConfig.root, '.faithh/chroma'))).toBe(false)
  })
})

describe('faithh search', () => {
  let root: string
  beforeAll(async () => {
    root = (await project()).root
    const result = await cli(root, ['index'])
    expect(result.exitCode, result.stderr).toBe(0)
  })

  it('prints ranked path:start-end results with a snippet', async () => {
    const result = await cli(root, ['search', 'computeInvoiceTotal', '-n', '3'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout.split('\n')[0]).toMatch(/^src\/billing\.ts:1-22 {2}computeInvoiceTotal$/)
    expect(result.stdout).toContain('export function computeInvoiceTotal() {')
    expect(result.stderr).not.toContain('lexical-only')
  })

  it.each([
    {name: '--ext keeps one extension', args: ['--ext', '.py'], paths: ['lib/report.py']},
    {name: '--ext without the dot, comma-separated', args: ['--ext', 'py,md'], paths: ['docs/guide.md', 'lib/report.py']},
    {name: '--path keeps a folder', args: ['--path', 'src/**'], paths: ['src/auth/session.ts', 'src/billing.ts']},
    {name: '--path and --ext together', args: ['--path', 'src/auth/**', '--ext', '.ts'], paths: ['src/auth/session.ts']},
    {name: 'filters that match no file', args: ['--ext', '.rs'], paths: []},
  ])('$name', async ({args, paths}) => {
    const result = await cli(root, ['search', 'total report session invoice guide', '--json', ...args])
    expect(result.exitCode, result.stderr).toBe(0)
    const found = [...new Set(json(result.stdout).hits.map((h: {path: string}) => h.path))].sort()
    expect(found).toEqual(paths)
  })

  it('fuses vector and lexical rankings: finds code by a word it does not contain, and by exact name', async () => {
    // "totalling" is no term of any file, so BM25 alone cannot find the invoice code; the vectors can.
    const lexicalOnly = await cli(root, ['search', 'totalling', '--json'], {}, 'http://127.0.0.1:9')
    expect(json(lexicalOnly.stdout)).toMatchObject({mode: 'lexical', hits: []})
    expect(json(lexicalOnly.stdout).notes[0]).toMatch(/lexical-only results: could not embed the query/)

    const hybrid = await cli(root, ['search', 'totalling', '--json'])
    expect(json(hybrid.stdout).mode).toBe('hybrid')
    expect(json(hybrid.stdout).hits.length).toBeGreaterThan(0)

    const both = await cli(root, ['search', 'totalling refreshSessionToken', '--json', '-n', '3'])
    const hits = json(both.stdout).hits.map((h: {path: string; symbol?: string}) => h.symbol ?? h.path)
    expect(hits[0]).toBe('refreshSessionToken') // first in both rankings
    const embedded = embedInputs(ollama).filter((i) => i.startsWith('search_query: '))
    expect(embedded).toContain('search_query: totalling refreshSessionToken')
  })
})

describe('without an embedding model', () => {
  it('indexes lexically and says how to enable vectors; search says its results are lexical; pulling the model later adds vectors', async () => {
    const noEmbedder = await startFakeOllama({models: [{name: 'qwen2.5-coder:7b', contextLength: 32_768}]})
    try {
      const {root} = await project()
      const index = await cli(root, ['index', '--json'], {CHROMA_URL: undefined}, noEmbedder.url)
      expect(index.exitCode, index.stderr).toBe(0)
      expect(json(index.stdout).vectors).toMatchObject({enabled: false, reason: expect.stringContaining('ollama pull nomic-embed-text')})
      expect(existsSync(path.join(root, '.faithh/chroma'))).toBe(false) // no vectors: Chroma never started

      const text = await cli(root, ['index'], {CHROMA_URL: undefined}, noEmbedder.url)
      expect(flat(text.stderr)).toContain('embedding model nomic-embed-text is not pulled — run `ollama pull nomic-embed-text`')

      const search = await cli(root, ['search', 'applyDiscountCode'], {CHROMA_URL: undefined}, noEmbedder.url)
      expect(search.exitCode, search.stderr).toBe(0)
      expect(search.stdout).toMatch(/^src\/billing\.ts:\d+-\d+ {2}applyDiscountCode/)
      expect(search.stderr).toContain('lexical-only results')

      // The model is pulled: the next index embeds every chunk, and search becomes hybrid.
      const indexed = await cli(root, ['index', '--json'])
      expect(json(indexed.stdout).chunks.embedded).toBe(json(indexed.stdout).chunks.total)
      expect(json((await cli(root, ['search', 'applyDiscountCode', '--json'])).stdout).mode).toBe('hybrid')
    } finally {
      await noEmbedder.close()
    }
  })
})

describe('when Chroma or the index is missing', () => {
  it('says clearly when the configured Chroma cannot be reached: exit code 7, for index and for search', async () => {
    const {root} = await project()
    const closed = await startEmbedGate(chromaUrl, {})
    await closed.close()
    const index = await cli(root, ['index'], {CHROMA_URL: closed.url})
    expect(index.exitCode).toBe(7)
    expect(flat(index.stderr)).toContain(`cannot reach Chroma at ${closed.url} — start that server, or unset CHROMA_URL`)

    // Indexed through a proxy that then goes away: search must not silently pretend.
    const proxy = await startEmbedGate(chromaUrl, {})
    expect((await cli(root, ['index'], {CHROMA_URL: proxy.url})).exitCode).toBe(0)
    await proxy.close()
    const search = await cli(root, ['search', 'invoice'], {CHROMA_URL: proxy.url})
    expect(search.exitCode).toBe(7)
    expect(flat(search.stderr)).toContain(`cannot reach Chroma at ${proxy.url}`)
  })

  it('exits 8 with a hint when the project has no index', async () => {
    const empty = await project({'a.ts': 'export const a = 1\n'})
    const result = await cli(empty.root, ['search', 'anything'])
    expect(result.exitCode).toBe(8)
    expect(flat(result.stderr)).toContain('run `faithh index` first')
    const json = await cli(empty.root, ['search', 'anything', '--json'])
    expect(json.exitCode).toBe(8)
    expect(JSON.parse(json.stdout)).toEqual({error: {code: 'no_index', message: `no index for ${empty.root}`, hint: 'run `faithh index` first'}})
  })
})
