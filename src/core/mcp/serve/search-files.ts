import {z} from 'zod'

import type {CodeHit} from '../../rag/retriever.js'
import {defineTool, fail, ok} from '../../tools/tool.js'

const DEFAULT_FILES = 10
/** Chunks searched to rank files from: several chunks of one file should not crowd others out. */
const CHUNK_POOL = 40

/**
 * Files ranked by how well their indexed code matches, best first, with the lines that matched.
 * A thin adapter over the chunk retriever: files are ranked by their best chunk, so it can switch to
 * a file ranking of the retriever's own when there is one, without changing what clients see.
 */
export const searchFilesTool = defineTool({
  name: 'search_files',
  description: 'Find the files most relevant to a query in the project index, best first, with the line ranges that matched.',
  schema: z.object({
    query: z.string().min(1).describe('what the code does, or names in it'),
    ext: z.string().optional().describe('only files with this extension, e.g. .py'),
    path: z.string().optional().describe('only paths matching this glob, e.g. src/**'),
    limit: z.number().int().min(1).max(50).optional().describe(`how many files (default ${DEFAULT_FILES})`),
  }),
  readOnly: true,
  async execute(args, ctx) {
    if (!ctx.retriever || !(await ctx.retriever.hasIndex())) return fail(noIndex(ctx.root), 'not_found')
    const limit = args.limit ?? DEFAULT_FILES
    const {hits, mode} = await ctx.retriever.search(args.query, {limit: Math.max(CHUNK_POOL, limit * 4), ext: args.ext ? [args.ext] : undefined, path: args.path, signal: ctx.signal})
    const files = rankFiles(hits).slice(0, limit)
    if (files.length === 0) return ok(`no indexed file matches ${JSON.stringify(args.query)}`)
    const lines = files.map((file, index) => `${index + 1}. ${file.path}  (lines ${file.ranges.join(', ')}${file.symbols.length > 0 ? `; ${file.symbols.join(', ')}` : ''})`)
    return ok(`${lines.join('\n')}\n[${mode} search]`)
  },
})

export function noIndex(root: string): string {
  return `the project ${root} has no index yet: run \`faithh index\` there first`
}

interface RankedFile {
  path: string
  score: number
  ranges: string[]
  symbols: string[]
}

/** Files in the order of their best chunk; each with the ranges and symbols that matched. */
function rankFiles(hits: CodeHit[]): RankedFile[] {
  const byPath = new Map<string, RankedFile>()
  for (const hit of hits) {
    const file = byPath.get(hit.path) ?? {path: hit.path, score: hit.score, ranges: [], symbols: []}
    file.score = Math.max(file.score, hit.score)
    if (file.ranges.length < 4) file.ranges.push(`${hit.startLine}-${hit.endLine}`)
    if (hit.symbol && file.symbols.length < 4 && !file.symbols.includes(hit.symbol)) file.symbols.push(hit.symbol)
    byPath.set(hit.path, file)
  }

  // Map keeps first-seen order, which is the retriever's rank order: the best chunk of each file decides.
  return [...byPath.values()]
}
