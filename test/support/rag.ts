import {readFile} from 'node:fs/promises'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import {ChromaClient} from 'chromadb'
import {afterAll, inject} from 'vitest'

import {collectionNameFor} from '../../src/core/rag/chroma-store.js'
import type {FakeOllama} from './fake-ollama.js'
import {makeProject} from './fixture.js'

/** The shared test Chroma (see chroma-setup.ts); call in beforeAll of suites that need it. */
export function requireChroma(): string {
  const error = inject('chromaError')
  if (error) throw new Error(error)
  return inject('chromaUrl')
}

/** Every text faithh sent to /api/embed, in order. */
export function embedInputs(ollama: FakeOllama): string[] {
  return ollama.requests
    .filter((r) => r.path === '/api/embed')
    .flatMap((r) => {
      const input = (r.body as {input: string | string[]}).input
      return Array.isArray(input) ? input : [input]
    })
}

export interface EmbedGate {
  url: string
  /** /api/embed requests seen so far. */
  embedRequests: number
  /** Lets /api/embed requests held by `hold: true` go on. */
  release(): void
  close(): Promise<void>
}

/**
 * A loopback HTTP proxy (in front of the fake Ollama, or of Chroma) that can slow down /api/embed or
 * fail its Nth request (1-based) with a 500, to interrupt an index run at a known point; closing it
 * makes the target unreachable. Everything else passes through.
 */
export async function startEmbedGate(
  target: string,
  {failAt, delayMs = 0, hold = false}: {failAt?: number; delayMs?: number; hold?: boolean},
): Promise<EmbedGate> {
  const gate = {embedRequests: 0}
  let release = () => {}
  // With `hold`, embed requests wait for release(): a run is kept busy for exactly as long as a test needs.
  const held = hold ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve()
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks)
    if (req.url?.startsWith('/api/embed')) {
      gate.embedRequests++
      await held
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs))
      if (gate.embedRequests === failAt) {
        res.writeHead(500, {'Content-Type': 'application/json'})
        res.end(JSON.stringify({error: 'fake failure: the embedding runner crashed'}))
        return
      }
    }

    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: {'Content-Type': 'application/json'},
      body: body.length ? body : undefined,
    })
    res.writeHead(upstream.status, {'Content-Type': upstream.headers.get('content-type') ?? 'application/json'})
    res.end(Buffer.from(await upstream.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return Object.assign(gate, {
    url: `http://127.0.0.1:${port}`,
    release: () => release(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  })
}

/** The ids Chroma holds for a project's collection (empty when the collection does not exist). */
export async function chromaIds(url: string, root: string): Promise<string[]> {
  const {hostname, port} = new URL(url)
  const client = new ChromaClient({host: hostname, port: Number(port)})
  try {
    const collection = await client.getCollection({name: collectionNameFor(root), embeddingFunction: {generate: async () => []}})
    return (await collection.get({include: []})).ids.sort()
  } catch {
    return []
  }
}

export interface ManifestView {
  generation: number
  files: Record<string, {hash: string; embedded: boolean; chunks: {id: string; start: number; end: number; symbol?: string}[]}>
}

export async function readManifestFile(root: string): Promise<ManifestView | undefined> {
  try {
    return JSON.parse(await readFile(path.join(root, '.faithh/index/manifest.json'), 'utf8')) as ManifestView
  } catch {
    return undefined
  }
}

export function manifestChunkIds(manifest: ManifestView | undefined, {embeddedOnly = false} = {}): string[] {
  return Object.values(manifest?.files ?? {})
    .filter((file) => !embeddedOnly || file.embedded)
    .flatMap((file) => file.chunks.map((chunk) => chunk.id))
    .sort()
}

/** Code for index tests: a function whose body is `body`. */
export const fn = (name: string, body: string) => `export function ${name}() {\n${body}\n}\n`
// ~1,100 characters: one function fits a default chunk (400 tokens, ~1,400 characters), two do not.
export const filler = (tag: string) => Array.from({length: 20}, (_, i) => `  const ${tag}${i} = step(${i}, '${tag} value number ${i}')`).join('\n')

export const FILES = {
  'src/billing.ts': `${fn('computeInvoiceTotal', filler('invoice'))}\n${fn('applyDiscountCode', filler('discount'))}`,
  'src/auth/session.ts': fn('refreshSessionToken', filler('session')),
  'lib/report.py': `def render_monthly_report(rows):\n${Array.from({length: 20}, (_, i) => `    total_${i} = sum(rows)  # monthly report line ${i}`).join('\n')}\n`,
  'docs/guide.md': '# Guide\n\nHow invoices are totalled and discounts applied.\n',
  'assets/logo.png': '\u0089PNG\r\n\u001a\n\u0000\u0000binary',
  '.gitignore': 'generated/\n',
  'generated/big.ts': fn('generatedThing', filler('gen')),
}

const projects: AsyncDisposable[] = []
afterAll(async () => {
  for (const project of projects.splice(0)) await project[Symbol.asyncDispose]()
})

/** A project for one test of an index suite (indexes are per project), removed after the file. */
export async function tempProject(files: Record<string, string> = FILES): Promise<{root: string}> {
  const project = await makeProject(files)
  projects.push(project)
  return project
}
