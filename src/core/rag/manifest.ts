import {mkdir, readdir, readFile, unlink} from 'node:fs/promises'
import path from 'node:path'

import {atomicWrite} from '../tools/atomic-write.js'
import {LEXICAL_VERSION, LexicalIndex, type SerializedLexicalIndex} from './lexical-index.js'

/**
 * The index's record of what is committed: every indexed file with its hash and chunks, and which
 * lexical index file goes with it. Search trusts only chunks listed here, so work an interrupted
 * `faithh index` did after its last commit (vectors upserted, a lexical file written) is invisible
 * until a rerun commits it.
 */
export interface IndexManifest {
  version: typeof MANIFEST_VERSION
  /** Chroma collection holding this project's vectors. */
  collection: string
  /** Where the vectors live ("embedded" or the server URL) and which model made them; unset: no vectors yet. */
  vectorStore?: string
  embedModel?: string
  /** The lexical index committed with this manifest (a new file per commit, so the pair switches atomically). */
  lexicalFile?: string
  /** Its format; an older one is rebuilt from the files by the next `faithh index`, keeping the vectors. */
  lexicalVersion?: number
  generation: number
  /** Chunk ids dropped from the manifest whose vectors may still be in Chroma; deleted on the next run that opens Chroma. */
  garbage: string[]
  files: Record<string, ManifestFile>
  updatedAt: string
}

export interface ManifestFile {
  size: number
  mtimeMs: number
  hash: string
  language: string
  /** Whether this file's chunks have vectors in `vectorStore`. */
  embedded: boolean
  chunks: ManifestChunk[]
}

export interface ManifestChunk {
  id: string
  start: number
  end: number
  symbol?: string
}

const MANIFEST_VERSION = 1
export const INDEX_DIR = path.join('.faithh', 'index')
export const CHROMA_DIR = path.join('.faithh', 'chroma')
/** Held by a running `faithh index`. */
export const INDEX_LOCK = path.join('.faithh', 'index.lock')

export function emptyManifest(collection: string): IndexManifest {
  return {version: MANIFEST_VERSION, collection, generation: 0, garbage: [], files: {}, updatedAt: new Date(0).toISOString()}
}

/** The committed manifest, or undefined when the project was never indexed (or the format changed). */
export async function readManifest(root: string): Promise<IndexManifest | undefined> {
  let text: string
  try {
    text = await readFile(path.join(root, INDEX_DIR, 'manifest.json'), 'utf8')
  } catch {
    return undefined
  }

  try {
    const manifest = JSON.parse(text) as IndexManifest
    return manifest.version === MANIFEST_VERSION && manifest.files ? manifest : undefined
  } catch {
    return undefined
  }
}

/** The committed lexical index; empty when there is none or it is of an older format (see lexicalVersion). */
export async function readLexicalIndex(root: string, manifest: IndexManifest): Promise<LexicalIndex> {
  if (!manifest.lexicalFile || manifest.lexicalVersion !== LEXICAL_VERSION) return new LexicalIndex()
  const text = await readFile(path.join(root, INDEX_DIR, manifest.lexicalFile), 'utf8')
  return LexicalIndex.fromJSON(JSON.parse(text) as SerializedLexicalIndex)
}

/**
 * Commits manifest and lexical index together: the lexical file is written under a new name first,
 * then the manifest that names it replaces the old one atomically, then older lexical files go.
 * A crash at any point leaves the previous commit or the new one, never a mix.
 */
export async function commitIndex(root: string, manifest: IndexManifest, lexical: LexicalIndex): Promise<void> {
  const dir = path.join(root, INDEX_DIR)
  const generation = manifest.generation + 1
  const lexicalFile = `lexical-${generation}.json`
  const next: IndexManifest = {...manifest, generation, lexicalFile, lexicalVersion: LEXICAL_VERSION, updatedAt: new Date().toISOString()}
  // Both serialised before the first await: the pair is one snapshot even if indexing goes on meanwhile.
  const lexicalJson = JSON.stringify(lexical)
  const manifestJson = JSON.stringify(next)
  manifest.generation = generation
  manifest.lexicalFile = lexicalFile
  manifest.lexicalVersion = LEXICAL_VERSION
  await mkdir(dir, {recursive: true})
  await atomicWrite(path.join(dir, lexicalFile), lexicalJson)
  await atomicWrite(path.join(dir, 'manifest.json'), manifestJson)

  for (const name of await readdir(dir)) {
    if (name.startsWith('lexical-') && name !== lexicalFile) await unlink(path.join(dir, name)).catch(() => {})
  }
}
