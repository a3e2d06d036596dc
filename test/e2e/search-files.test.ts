import {ChromaClient} from 'chromadb'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {collectionNameFor} from '../../src/core/rag/chroma-store.js'
import {fuseRankings} from '../../src/core/rag/fusion.js'
import {requireBuild, runCli} from '../support/cli.js'
import {embedText, startFakeOllama, type FakeOllama} from '../support/fake-ollama.js'
import {makeProject, type Fixture} from '../support/fixture.js'
import {readManifestFile, requireChroma} from '../support/rag.js'

const NO_OLLAMA = 'http://127.0.0.1:9'
const filler = (tag: string, lines: number) =>
  Array.from({length: lines}, (_, i) => `  const ${tag}${i} = ledger.entry(${i}, 'quarterly ${tag} balance ${i}')`).join('\n')

/**
 * One file defines parseCsvRow, inside a long function of unrelated words (its vector is far from the
 * query); eight files only talk about "parseCsvRows" (lexically weaker, but near vectors); and twenty
 * near-misses that no word matches but whose vectors are near too. The fake embedder is deterministic,
 * so the premise checked below holds on every run.
 */
const FILES: Record<string, string> = {
  'src/csv/reader.ts': `export function parseCsvRow(line: string) {\n${filler('amount', 30)}\n  return line.split(',')\n}\n`,
  ...Object.fromEntries(Array.from({length: 8}, (_, i) => [`src/notes/rows-${i}.ts`, '// parseCsvRows parseCsvRows parseCsvRows\n'])),
  ...Object.fromEntries(Array.from({length: 20}, (_, i) => [`src/near/near-${i}.ts`, '// parsecsvrowz\n'])),
  'tests/reader.test.ts': "import {parseCsvRow} from '../src/csv/reader'\nit('parses', () => parseCsvRow('a,b'))\n",
  'CHANGELOG.md': '## 1.0\n- parseCsvRow handles quotes\n',
}

let ollama: FakeOllama
let chromaUrl: string
let fixture: Fixture

beforeAll(async () => {
  requireBuild()
  chromaUrl = requireChroma()
  ollama = await startFakeOllama()
  fixture = await makeProject(FILES)
  const index = await cli(['index', '--json'])
  expect(index.exitCode, index.stderr).toBe(0)
})

afterAll(async () => {
  await ollama.close()
  await fixture.cleanup()
})

const cli = (args: string[], host = ollama.url) => runCli(args, {cwd: fixture.root, host, env: {CHROMA_URL: chromaUrl}})
const paths = (stdout: string): string[] => (JSON.parse(stdout) as {files: {path: string}[]}).files.map((file) => file.path)

describe('faithh search --files', () => {
  it('ranks files, each with its best chunk and matching lines; source above its test and the changelog', async () => {
    const result = await cli(['search', '--files', '--json', '-n', '40', 'parseCsvRow'], NO_OLLAMA)
    expect(result.exitCode, result.stderr).toBe(0)
    const output = JSON.parse(result.stdout)
    expect(output.mode).toBe('lexical')
    const [first] = output.files
    expect(first).toMatchObject({path: 'src/csv/reader.ts', kind: 'source', language: 'typescript', stale: false})
    expect(first.chunk).toMatchObject({startLine: 1, symbol: 'parseCsvRow'})
    expect(first.chunk.text).toContain('export function parseCsvRow(line: string) {')
    expect(first.lines[0]).toEqual({line: 1, text: 'export function parseCsvRow(line: string) {'})
    const order = paths(result.stdout)
    expect(order.indexOf('tests/reader.test.ts')).toBeGreaterThan(0)
    expect(order.indexOf('CHANGELOG.md')).toBeGreaterThan(order.indexOf('tests/reader.test.ts'))
  })

  it('prints one block per file: path, kind when not source, best chunk, matching lines', async () => {
    const result = await cli(['search', '--files', 'parseCsvRow', '-n', '20'], NO_OLLAMA)
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout.split('\n')[0]).toMatch(/^src\/csv\/reader\.ts {2}best 1-\d+ parseCsvRow$/)
    expect(result.stdout).toContain('      1  export function parseCsvRow(line: string) {')
    expect(result.stdout).toMatch(/^tests\/reader\.test\.ts {2}\(test\) {2}best 1-2/m)
    expect(result.stderr).toContain('lexical-only results')
  })

  it('with vectors, fusion keeps the strong lexical hit in the top 5 that plain rank fusion would push out', async () => {
    const lexical = await cli(['search', '--files', '--json', '-n', '30', 'parseCsvRow'], NO_OLLAMA)
    const lexicalOrder = paths(lexical.stdout)
    expect(lexicalOrder[0]).toBe('src/csv/reader.ts')

    // What the vectors alone say, straight from Chroma with the query embedding faithh sends.
    const client = new ChromaClient({host: new URL(chromaUrl).hostname, port: Number(new URL(chromaUrl).port)})
    const collection = await client.getCollection({name: collectionNameFor(fixture.root), embeddingFunction: {generate: async () => []}})
    const {ids} = await collection.query({queryEmbeddings: [embedText('search_query: parseCsvRow')], nResults: 30})
    const pathOf = new Map(
      Object.entries((await readManifestFile(fixture.root))!.files).flatMap(([file, entry]) => entry.chunks.map((chunk) => [chunk.id, file])),
    )
    const vectorOrder = [...new Set(ids[0]!.map((id) => pathOf.get(id)!))]
    expect(vectorOrder.slice(0, 5)).not.toContain('src/csv/reader.ts')
    // The test's premise: fused without protection, the definition falls out of the top 5.
    expect(
      fuseRankings([lexicalOrder, vectorOrder], {weights: [1, 0.6]})
        .slice(0, 5)
        .map((item) => item.id),
    ).not.toContain('src/csv/reader.ts')

    const hybrid = await cli(['search', '--files', '--json', 'parseCsvRow'])
    expect(hybrid.exitCode, hybrid.stderr).toBe(0)
    expect(JSON.parse(hybrid.stdout).mode).toBe('hybrid')
    expect(paths(hybrid.stdout).slice(0, 5)).toContain('src/csv/reader.ts')
    // Vectors still take part: their nearest files come in.
    expect(paths(hybrid.stdout).slice(0, 10)).toEqual(expect.arrayContaining([vectorOrder[0]]))

    const chunks = await cli(['search', '--json', '-n', '5', 'parseCsvRow'])
    expect(JSON.parse(chunks.stdout).hits.map((hit: {path: string}) => hit.path)).toContain('src/csv/reader.ts')
  })

  it.each([
    {name: 'an empty query', query: ''},
    {name: 'only stop-words', query: 'the of and is it'},
    {name: 'only punctuation', query: '!!! ??? ...'},
  ])('$name: no results, a note saying why, exit 0', async ({query}) => {
    const result = await cli(['search', '--files', query], NO_OLLAMA)
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('the query has no words to search for')
  })

  it('a 100 KB query and binary garbage are answered, not crashed on', async () => {
    const long = `parseCsvRow fails\n${'lorem ipsum dolor sit amet '.repeat(4000)}`
    const big = await cli(['search', '--files', '--json', '--', long], NO_OLLAMA)
    expect(big.exitCode, big.stderr).toBe(0)
    expect(paths(big.stdout)[0]).toBe('src/csv/reader.ts')

    const garbage = Buffer.from(Array.from({length: 4000}, (_, i) => 1 + ((i * 7919) % 254))).toString('latin1')
    const binary = await cli(['search', '--files', '--json', '--', garbage], NO_OLLAMA)
    expect(binary.exitCode, binary.stderr).toBe(0)
    expect(Array.isArray(JSON.parse(binary.stdout).files)).toBe(true)
  })
})
