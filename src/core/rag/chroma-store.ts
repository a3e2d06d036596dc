import path from 'node:path'
import {ChromaClient, type Collection, type EmbeddingFunction, type Where} from 'chromadb'

import {acquireEmbeddedChroma, heartbeat} from './chroma-server.js'
import {CHROMA_DIR} from './manifest.js'
import {RagError} from './rag-error.js'

/** What Chroma stores beside each vector: enough to filter on; line numbers live in the manifest. */
export interface VectorMetadata {
  path: string
  extension: string
  language: string
  startLine: number
  endLine: number
  symbol?: string
}

export interface VectorRecord {
  id: string
  embedding: number[]
  metadata: VectorMetadata
}

export interface VectorHit {
  id: string
  distance: number
}

/**
 * faithh always passes its own embeddings. Handing the client this function (instead of none) keeps
 * chromadb from looking for its default embedding package, and from warning about it on stderr.
 */
const OWN_EMBEDDINGS: EmbeddingFunction = {
  async generate() {
    throw new Error('faithh computes embeddings itself (Ollama /api/embed); pass embeddings explicitly')
  },
}

/** One project's vectors in one Chroma collection. */
export class ChromaStore {
  private constructor(
    private readonly client: ChromaClient,
    private collection: Collection,
    readonly url: string,
  ) {}

  /** Connects to `url` (heartbeat first, so an unreachable server is one clear error) and opens the collection. */
  static async connect(url: string, name: string): Promise<ChromaStore> {
    if (!(await heartbeat(url, 3000))) {
      throw new RagError(
        'chroma_unreachable',
        `cannot reach Chroma at ${url} — start that server, or unset CHROMA_URL / rag.chromaUrl to let faithh run its own`,
      )
    }

    const {hostname, port, protocol} = new URL(url)
    const ssl = protocol === 'https:'
    const client = new ChromaClient({host: hostname.replace(/^\[|\]$/g, ''), port: port ? Number(port) : ssl ? 443 : 80, ssl})
    const collection = await guard(url, () => openCollection(client, name))
    return new ChromaStore(client, collection, url)
  }

  get name(): string {
    return this.collection.name
  }

  /** Drops every vector of the project (a new model, a rebuild). */
  async reset(): Promise<void> {
    const name = this.collection.name
    await guard(this.url, async () => {
      await this.client.deleteCollection({name}).catch(() => {})
      this.collection = await openCollection(this.client, name)
    })
  }

  async upsert(records: VectorRecord[]): Promise<void> {
    if (records.length === 0) return
    await guard(this.url, () =>
      this.collection.upsert({
        ids: records.map((r) => r.id),
        embeddings: records.map((r) => r.embedding),
        metadatas: records.map((r) => stripUndefined(r.metadata)),
      }),
    )
  }

  async delete(ids: string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 1000) {
      const batch = ids.slice(i, i + 1000)
      await guard(this.url, () => this.collection.delete({ids: batch}))
    }
  }

  async query(embedding: number[], limit: number, where?: Where): Promise<VectorHit[]> {
    const result = await guard(this.url, () => this.collection.query({queryEmbeddings: [embedding], nResults: limit, where, include: ['distances'] as never}))
    const ids = result.ids[0] ?? []
    const distances = result.distances[0] ?? []
    return ids.map((id, i) => ({id, distance: distances[i] ?? 1}))
  }

  async count(): Promise<number> {
    return guard(this.url, () => this.collection.count())
  }
}

function openCollection(client: ChromaClient, name: string): Promise<Collection> {
  return client.getOrCreateCollection({name, embeddingFunction: OWN_EMBEDDINGS, configuration: {hnsw: {space: 'cosine'}}, metadata: {createdBy: 'faithh'}})
}

export {collectionNameFor} from './collection-name.js'

/** Where a project's vectors are: the configured server, or the embedded one (started on demand). */
export interface VectorStoreHandle {
  store: ChromaStore
  /** "embedded" or the server URL, as the manifest records it. */
  location: string
  close(): Promise<void>
}

export async function openVectorStore(root: string, chromaUrl: string | undefined, collection: string, signal?: AbortSignal): Promise<VectorStoreHandle> {
  if (chromaUrl) {
    const url = chromaUrl.replace(/\/+$/, '')
    return {store: await ChromaStore.connect(url, collection), location: url, close: async () => {}}
  }

  const server = await acquireEmbeddedChroma(path.join(root, CHROMA_DIR), signal)
  try {
    return {store: await ChromaStore.connect(server.url, collection), location: 'embedded', close: () => server.release()}
  } catch (error) {
    await server.release()
    throw error
  }
}

async function guard<T>(url: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    if (error instanceof RagError) throw error
    const name = (error as Error)?.name
    if (name === 'ChromaConnectionError') {
      throw new RagError('chroma_unreachable', `lost the connection to Chroma at ${url}: ${(error as Error).message}`)
    }

    throw new RagError('chroma_failed', `Chroma at ${url} failed: ${(error as Error)?.message ?? String(error)}`)
  }
}

function stripUndefined(metadata: VectorMetadata): Record<string, string | number> {
  return Object.fromEntries(Object.entries(metadata).filter(([, value]) => value !== undefined)) as Record<string, string | number>
}
