import type {CodeHit} from '../core/rag/retriever.js'
import {termsOf} from '../core/rag/terms.js'
import type {Style} from './style.js'

const SNIPPET_LINES = 3
const SNIPPET_WIDTH = 160

/** `path:start-end  symbol` and a few numbered lines around the best match, per hit. */
export function formatSearchResults(hits: CodeHit[], query: string, style: Style): string {
  return hits
    .map((hit) => {
      const symbol = hit.symbol ? `  ${style.dim(hit.symbol)}` : ''
      const stale = hit.stale ? style.yellow('  (changed since indexed)') : ''
      const snippet = snippetOf(hit, query).map(({line, text}) => `  ${style.dim(String(line).padStart(5))}  ${text}`)
      return [`${style.cyan(`${hit.path}:${hit.startLine}-${hit.endLine}`)}${symbol}${stale}`, ...snippet].join('\n')
    })
    .join('\n\n')
}

/** The lines of the chunk where the query's terms are densest (the chunk's start when none match). */
export function snippetOf(hit: CodeHit, query: string): {line: number; text: string}[] {
  const wanted = new Set(termsOf(query))
  const lines = hit.text.split('\n')
  let best = lines.findIndex((line) => line.trim() !== '')
  let bestScore = 0
  for (const [i, line] of lines.entries()) {
    const score = termsOf(line).filter((term) => wanted.has(term)).length
    if (score > bestScore) [best, bestScore] = [i, score]
  }

  return lines
    .slice(Math.max(best, 0), Math.max(best, 0) + SNIPPET_LINES)
    .map((text, i) => ({line: hit.startLine + Math.max(best, 0) + i, text: cut(text.trimEnd())}))
    .filter(({text}) => text.trim() !== '')
}

function cut(text: string): string {
  return text.length > SNIPPET_WIDTH ? `${text.slice(0, SNIPPET_WIDTH - 1)}…` : text
}
