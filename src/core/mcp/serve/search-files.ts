import {z} from 'zod'

import type {FileHit} from '../../rag/retriever.js'
import {defineTool, fail, ok} from '../../tools/tool.js'

const DEFAULT_FILES = 10

/**
 * Files ranked by the retriever's file ranking (what `faithh search --files` prints), best first:
 * each with the lines of its best chunk, its symbol, and the lines where the query matched.
 */
export const searchFilesTool = defineTool({
  name: 'search_files',
  description: 'Find the files most relevant to a query (a bug report works too) in the project index, best first, with the lines that matched.',
  schema: z.object({
    query: z.string().min(1).describe('what the code does, names in it, or an error message'),
    ext: z.string().optional().describe('only files with this extension, e.g. .py'),
    path: z.string().optional().describe('only paths matching this glob, e.g. src/**'),
    limit: z.number().int().min(1).max(50).optional().describe(`how many files (default ${DEFAULT_FILES})`),
  }),
  readOnly: true,
  async execute(args, ctx) {
    if (!ctx.retriever || !(await ctx.retriever.hasIndex())) return fail(noIndex(ctx.root), 'not_found')
    const limit = args.limit ?? DEFAULT_FILES
    const {files, mode, notes} = await ctx.retriever.searchFiles(args.query, {
      limit,
      ext: args.ext ? [args.ext] : undefined,
      path: args.path,
      signal: ctx.signal,
    })
    if (files.length === 0) return ok([`no indexed file matches ${JSON.stringify(args.query)}`, ...notes.map((note) => `note: ${note}`)].join('\n'))
    return ok(`${files.map((file, index) => describeFile(file, index + 1)).join('\n')}\n[${mode} search]`)
  },
})

export function noIndex(root: string): string {
  return `the project ${root} has no index yet: run \`faithh index\` there first`
}

/** `1. src/a.ts  (lines 10-42; parseThing)` and then its matching lines, indented. */
function describeFile(file: FileHit, rank: number): string {
  const {startLine, endLine, symbol} = file.chunk
  const head = `${rank}. ${file.path}  (lines ${startLine}-${endLine}${symbol ? `; ${symbol}` : ''})${file.stale ? ' [changed since indexed]' : ''}`
  return [head, ...file.lines.map((line) => `     ${line.line}: ${line.text.trim().slice(0, 160)}`)].join('\n')
}
