import {mkdir, readdir, readFile, unlink} from 'node:fs/promises'
import path from 'node:path'

import {atomicWrite} from '../tools/atomic-write.js'
import {LexicalSegment, SEGMENT_FILE, SEGMENT_VERSION, writeSegment, type SegmentDelta} from './lexical-segment.js'

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

/** The committed lexical segment, or undefined when there is none. */
export function openSegment(root: string): Promise<LexicalSegment | undefined> {
  return LexicalSegment.open(path.join(root, INDEX_DIR, SEGMENT_FILE))
}

/**
 * Commits manifest and lexical index together: the new segment replaces the old one (written aside,
 * then renamed), then the manifest, which records the segment's generation, replaces its own. A
 * crash leaves the previous commit, the new one, or a segment newer than the manifest: search reads
 * only the segment (always whole), and `faithh index` sees the generations differ and reads every
 * file again, keeping the vectors.
 */
export async function commitIndex(root: string, manifest: IndexManifest, lexical: {base?: LexicalSegment; deltas: SegmentDelta[]}): Promise<void> {
  const dir = path.join(root, INDEX_DIR)
  const generation = manifest.generation + 1
  const next: IndexManifest = {...manifest, generation, lexicalFile: SEGMENT_FILE, lexicalVersion: SEGMENT_VERSION, updatedAt: new Date().toISOString()}
  // Both taken before the first await: the pair is one snapshot even if indexing goes on meanwhile
  // (writeSegment reads the manifest's files synchronously before its own first await).
  const manifestJson = jsonPieces(next)
  manifest.generation = generation
  manifest.lexicalFile = SEGMENT_FILE
  manifest.lexicalVersion = SEGMENT_VERSION
  await mkdir(dir, {recursive: true}).then(() => undefined)
  const written = writeSegment(path.join(dir, SEGMENT_FILE), {...lexical, manifest: next, generation})
  await written
  await atomicWrite(path.join(dir, 'manifest.json'), manifestJson)

  // Lexical files of older faithh versions, and segments a killed run left half-written (one run holds the lock).
  for (const name of await readdir(dir)) {
    if (/^lexical-\d+\.json$|^lexical\.bin\.\d+\.tmp$/.test(name)) await unlink(path.join(dir, name)).catch(() => {})
  }
}

/** Files per piece of the manifest's JSON. */
const FILES_PER_PIECE = 500

/**
 * The manifest as JSON in pieces, its files last, a few hundred per piece: a large project's manifest
 * (tens of MB) is never one string, nor one buffer, while a commit writes it. What it holds is taken
 * now, not as the pieces are made: the run goes on changing the manifest (it appends to `garbage`,
 * written out here at once, and replaces file entries, never changes one).
 */
function jsonPieces(manifest: IndexManifest): Iterable<string> {
  const {files, ...rest} = manifest
  const head = JSON.stringify(rest)
  const entries = Object.entries(files)
  return (function* () {
    yield `${head.slice(0, -1)},"files":{`
    for (let start = 0; start < entries.length; start += FILES_PER_PIECE) {
      let piece = ''
      for (let i = start; i < Math.min(start + FILES_PER_PIECE, entries.length); i++) {
        piece += `${i > 0 ? ',' : ''}${JSON.stringify(entries[i]![0])}:${JSON.stringify(entries[i]![1])}`
      }

      yield piece
    }

    yield '}}'
  })()
}
