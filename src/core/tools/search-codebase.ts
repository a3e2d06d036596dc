import {z} from 'zod'

import type {CodeHit} from '../rag/retriever.js'
import {RagError} from '../rag/rag-error.js'
import {defineTool, fail, ok} from './tool.js'

/** Lines of each chunk shown; the model reads the file for more. */
const LINES_PER_HIT = 20
const DEFAULT_RESULTS = 8

export const searchCodebaseTool = defineTool({
  name: 'search_codebase',
  description: 'Find code by meaning or names in the project index. Returns ranked path:start-end chunks.',
  schema: z.object({
    query: z.string().min(1).describe('what the code does, or names in it'),
    ext: z.string().optional().describe('e.g. .py'),
    path: z.string().optional().describe('glob, e.g. src/**'),
  }),
  readOnly: true,
  async execute(args, ctx) {
    if (!ctx.retriever || !(await ctx.retriever.hasIndex())) {
      return fail('search_codebase: this project has no index yet (the user can run `faithh index`); use search_code instead')
    }

    try {
      // The retriever's notes (how to enable vectors) are for the user, not the model: left out.
      const {hits} = await ctx.retriever.search(args.query, {limit: DEFAULT_RESULTS, ext: args.ext ? [args.ext] : undefined, path: args.path, signal: ctx.signal})
      if (hits.length === 0) {
        const where = [args.ext && `ext ${args.ext}`, args.path && `path ${args.path}`].filter(Boolean).join(', ')
        return ok(`no indexed code matches ${JSON.stringify(args.query)}${where ? ` (${where})` : ''}; try other words, or search_code for exact text`)
      }

      const budget = Math.max(ctx.limits.outputChars - 200, 500)
      const parts: string[] = []
      let used = 0
      for (const hit of hits) {
        const part = formatHit(hit)
        if (used + part.length > budget && parts.length > 0) {
          parts.push(`[${hits.length - parts.length} more results cut; narrow with ext or path]`)
          break
        }

        parts.push(part)
        used += part.length
      }

      return ok(parts.join('\n\n'))
    } catch (error) {
      if (error instanceof RagError) return fail(`search_codebase: ${error.message}`)
      throw error
    }
  },
})

function formatHit(hit: CodeHit): string {
  const lines = hit.text.split('\n')
  const shown = lines.slice(0, LINES_PER_HIT)
  const more = lines.length > LINES_PER_HIT ? `\n… (${lines.length - LINES_PER_HIT} more lines: read_file ${hit.path} start_line=${hit.startLine + LINES_PER_HIT})` : ''
  const stale = hit.stale ? ' (file changed since indexing)' : ''
  return `${hit.path}:${hit.startLine}-${hit.endLine}${hit.symbol ? ` ${hit.symbol}` : ''}${stale}\n${shown.join('\n')}${more}`
}
