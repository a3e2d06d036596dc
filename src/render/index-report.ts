import type {PreparedQuestion} from '../core/rag/ask-context.js'
import type {IndexProgress, IndexSummary} from '../core/rag/indexer.js'

export interface ProgressView {
  update(progress: IndexProgress): void
  stop(): void
}

/** Without a terminal, a plain line this often, and only once a run has lasted this long. */
const PLAIN_INTERVAL_MS = 5000

/**
 * Index progress on stderr: a spinner line on a terminal; otherwise (CI logs, pipes) an occasional
 * plain line so a long run shows it is alive without flooding the log. ora is imported for the spinner
 * only: it builds large emoji tables when loaded (~20 ms), and `ask` imports this module too.
 */
export async function indexProgressView(stream: NodeJS.WriteStream = process.stderr): Promise<ProgressView> {
  if (stream.isTTY) {
    const {default: ora} = await import('ora')
    const spinner = ora({stream, text: 'Scanning files…', discardStdin: false}).start()
    return {update: (progress) => (spinner.text = describeProgress(progress)), stop: () => spinner.stop()}
  }

  let last = Date.now()
  return {
    update(progress) {
      if (Date.now() - last < PLAIN_INTERVAL_MS) return
      last = Date.now()
      stream.write(`${describeProgress(progress)}\n`)
    },
    stop() {},
  }
}

export function describeProgress(p: IndexProgress): string {
  const n = (x: number) => x.toLocaleString('en-US')
  if (p.phase === 'scan') return `Scanning: ${n(p.filesDone)}/${n(p.filesTotal)} files`
  const eta = p.etaSeconds === undefined ? '' : ` · ETA ${formatDuration(p.etaSeconds)}`
  return `Indexing: ${n(p.filesDone)}/${n(p.filesTotal)} files · ${n(p.chunksDone)}/${n(p.chunksTotal)} chunks${eta}`
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`
  const minutes = Math.floor(seconds / 60)
  return minutes < 60 ? `${minutes}m ${seconds % 60}s` : `${Math.floor(minutes / 60)}h ${minutes % 60}m`
}

/** The human summary of an index run (stdout); `--json` prints the IndexSummary itself. */
export function formatIndexSummary(s: IndexSummary): string {
  const n = (x: number) => x.toLocaleString('en-US')
  const {files, chunks, vectors} = s
  const changes = [
    files.added && `${n(files.added)} added`,
    files.changed && `${n(files.changed)} changed`,
    files.removed && `${n(files.removed)} removed`,
    `${n(files.unchanged)} unchanged`,
  ].filter(Boolean)
  const where = s.scope ? ` (${s.scope}/)` : ''
  const lines = [`Indexed ${n(files.total)} files${where}: ${changes.join(', ')} → ${n(chunks.total)} chunks in ${(s.durationMs / 1000).toFixed(1)}s`]
  if (chunks.embedded > 0 || chunks.reused > 0) {
    lines.push(
      `Embedded ${n(chunks.embedded)} chunks with ${vectors.model}${chunks.reused ? ` (${n(chunks.reused)} unchanged chunks kept their vectors)` : ''}`,
    )
  }

  const store = vectors.store === 'embedded' ? 'embedded Chroma (.faithh/chroma)' : `Chroma at ${vectors.store}`
  lines.push(vectors.enabled ? `Vectors: ${vectors.model} in ${store}` : 'Vectors: none — search is lexical only')
  const skipped = [files.skippedBinary && `${n(files.skippedBinary)} binary`, files.skippedLarge && `${n(files.skippedLarge)} over rag.maxFileBytes`].filter(
    Boolean,
  )
  if (skipped.length > 0) lines.push(`Skipped: ${skipped.join(', ')}`)
  return lines.join('\n')
}

/** What `ask` tells the user (stderr) about the code it put in front of the question. */
export function describeRetrieval(question: PreparedQuestion): string[] {
  const lines: string[] = []
  const {context} = question
  if (context && context.hits.length > 0) {
    const where = [...new Set(context.hits.map((hit) => hit.path))].slice(0, 3).join(', ')
    lines.push(
      `› index: ${context.hits.length} chunks (~${context.tokens.toLocaleString('en-US')} tokens) added to the question: ${where}${context.hits.length > 3 ? ', …' : ''}`,
    )
  }

  for (const note of context?.notes ?? []) lines.push(`  note: ${note}`)
  if (question.warning) lines.push(`  ${question.warning}`)
  return lines
}
