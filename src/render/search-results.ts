import {matchingLines} from '../core/rag/matching-lines.js'
import {parseQuery, type ParsedQuery} from '../core/rag/query.js'
import type {CodeHit, FileHit} from '../core/rag/retriever.js'
import type {Style} from './style.js'

const SNIPPET_LINES = 3
const SNIPPET_WIDTH = 160

export type Snippet = {line: number; text: string}[]

/** `path:start-end  symbol` and a few numbered lines around the best match (`snippets`, one per hit, from snippetOf), per hit. */
export function formatSearchResults(hits: CodeHit[], snippets: Snippet[], style: Style): string {
  return hits
    .map((hit, i) => {
      const symbol = hit.symbol ? `  ${style.dim(hit.symbol)}` : ''
      const stale = hit.stale ? style.yellow('  (changed since indexed)') : ''
      const snippet = snippets[i]!.map(({line, text}) => `  ${style.dim(String(line).padStart(5))}  ${text}`)
      return [`${style.cyan(`${hit.path}:${hit.startLine}-${hit.endLine}`)}${symbol}${stale}`, ...snippet].join('\n')
    })
    .join('\n\n')
}

/** `path  (kind)`, where its evidence is densest (`best: start-end symbol`), and its best-matching lines, per file. */
export function formatFileResults(files: FileHit[], style: Style): string {
  return files
    .map((file) => {
      const kind = file.kind === 'source' ? '' : `  ${style.dim(`(${file.kind})`)}`
      const stale = file.stale ? style.yellow('  (changed since indexed)') : ''
      const best = `best ${file.chunk.startLine}-${file.chunk.endLine}${file.chunk.symbol ? ` ${file.chunk.symbol}` : ''}`
      const lines = file.lines.map(({line, text}) => `  ${style.dim(String(line).padStart(5))}  ${text}`)
      return [`${style.cyan(file.path)}${kind}  ${style.dim(best)}${stale}`, ...lines].join('\n')
    })
    .join('\n\n')
}

/** Each hit's snippet, with the query read once (a bug report can be long). */
export function snippetsOf(hits: CodeHit[], query: string): Snippet[] {
  const parsed = parseQuery(query)
  return hits.map((hit) => snippetOf(hit, parsed))
}

/** The lines of the chunk where the query's evidence is densest (the chunk's start when none match). */
function snippetOf(hit: CodeHit, query: ParsedQuery): Snippet {
  const lines = hit.text.split('\n')
  const [best] = matchingLines(lines, query, {limit: 1})
  const first = best
    ? best.line - 1
    : Math.max(
        lines.findIndex((line) => line.trim() !== ''),
        0,
      )
  return lines
    .slice(first, first + SNIPPET_LINES)
    .map((text, i) => ({line: hit.startLine + first + i, text: cut(text.trimEnd())}))
    .filter(({text}) => text.trim() !== '')
}

function cut(text: string): string {
  return text.length > SNIPPET_WIDTH ? `${text.slice(0, SNIPPET_WIDTH - 1)}…` : text
}
