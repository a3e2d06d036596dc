import {CHARS_PER_TOKEN} from './chunker.js'
import type {CodeHit, Retriever} from './retriever.js'

export interface RetrievedContext {
  /** The user message to send: retrieved code first, then the question. */
  message: string
  hits: CodeHit[]
  /** Estimated tokens of the retrieved code. */
  tokens: number
  notes: string[]
}

/** More candidate files than will fit, so small chunks can fill what a large one leaves. */
const CANDIDATES = 16

/**
 * Prepends the best chunk of each of the files most relevant to the question (the same file ranking
 * as `faithh search --files`), best first, within `budgetTokens`. Small models answer better when the
 * likely code is already in front of them, and it saves them the search round-trips; the question
 * goes last, where models attend most.
 */
export async function withRetrievedCode(
  question: string,
  retriever: Retriever,
  {budgetTokens, signal}: {budgetTokens: number; signal?: AbortSignal},
): Promise<RetrievedContext> {
  const {files, notes} = await retriever.searchFiles(question, {limit: CANDIDATES, signal})
  const hits: CodeHit[] = files.map((file) => ({
    path: file.path,
    startLine: file.chunk.startLine,
    endLine: file.chunk.endLine,
    ...(file.chunk.symbol ? {symbol: file.chunk.symbol} : {}),
    language: file.language,
    score: file.score,
    text: file.chunk.text,
    stale: file.stale,
  }))
  const budget = Math.floor(budgetTokens * CHARS_PER_TOKEN)
  const used: CodeHit[] = []
  const blocks: string[] = []
  let chars = 0
  for (const hit of hits) {
    const block = `--- ${hit.path}:${hit.startLine}-${hit.endLine}\n${hit.text}`
    if (chars + block.length + 1 > budget) continue
    blocks.push(block)
    used.push(hit)
    chars += block.length + 1
  }

  if (used.length === 0) return {message: question, hits: [], tokens: 0, notes}
  const message = [
    'Code from the project index that may be relevant (path:start-end; read files for more):',
    blocks.join('\n'),
    '',
    `Question: ${question}`,
  ].join('\n')
  return {message, hits: used, tokens: Math.ceil(chars / CHARS_PER_TOKEN), notes}
}

export interface PreparedQuestion {
  /** Whether the project has an index: then `ask` also offers search_codebase. */
  indexed: boolean
  message: string
  context?: RetrievedContext
  /** Why retrieval was skipped, when it failed (the question still goes out, without context). */
  warning?: string
}

/**
 * The question `ask` sends: with the best-matching indexed code in front of it, within `share` of
 * the context window, when the project has an index and retrieval is on. Retrieval never fails the
 * question: a broken index only costs the context.
 */
export async function prepareQuestion(
  question: string,
  retriever: Retriever,
  {retrieve, contextWindow, share, signal}: {retrieve: boolean; contextWindow: () => Promise<number>; share: number; signal?: AbortSignal},
): Promise<PreparedQuestion> {
  if (!(await retriever.hasIndex())) return {indexed: false, message: question}
  if (!retrieve || share <= 0) return {indexed: true, message: question}
  const budgetTokens = Math.floor((await contextWindow()) * share)
  try {
    const context = await withRetrievedCode(question, retriever, {budgetTokens, signal})
    return {indexed: true, message: context.message, context}
  } catch (error) {
    return {indexed: true, message: question, warning: `no code from the index added: ${(error as Error).message}`}
  }
}
