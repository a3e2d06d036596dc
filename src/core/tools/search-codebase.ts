import {z} from 'zod'

import type {FileHit} from '../rag/retriever.js'
import {RagError} from '../rag/rag-error.js'
import {defineTool, fail, ok} from './tool.js'

/** Lines of each file's best chunk shown; the model reads the file for more. */
const LINES_PER_HIT = 20
const DEFAULT_RESULTS = 8

export const searchCodebaseTool = defineTool({
  name: 'search_codebase',
  description: 'Find code by meaning, names or error text in the project index. Returns ranked files with their best chunk.',
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
      const {files} = await ctx.retriever.searchFiles(args.query, {
        limit: DEFAULT_RESULTS,
        ext: args.ext ? [args.ext] : undefined,
        path: args.path,
        signal: ctx.signal,
      })
      if (files.length === 0) {
        const where = [args.ext && `ext ${args.ext}`, args.path && `path ${args.path}`].filter(Boolean).join(', ')
        return ok(`no indexed code matches ${JSON.stringify(args.query)}${where ? ` (${where})` : ''}; try other words, or search_code for exact text`)
      }

      const budget = Math.max(ctx.limits.outputChars - 200, 500)
      const parts: string[] = []
      let used = 0
      for (const file of files) {
        const part = formatHit(file)
        if (used + part.length > budget && parts.length > 0) {
          parts.push(`[${files.length - parts.length} more files cut; narrow with ext or path]`)
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

/** The file's best chunk (its first lines), and where else in the file the query matches. */
function formatHit(file: FileHit): string {
  const {chunk} = file
  const lines = chunk.text.split('\n')
  const shown = lines.slice(0, LINES_PER_HIT)
  const lastShown = chunk.startLine + shown.length - 1
  const more = lines.length > LINES_PER_HIT ? `\n… (${lines.length - LINES_PER_HIT} more lines: read_file ${file.path} start_line=${lastShown + 1})` : ''
  const elsewhere = file.lines.filter(({line}) => line < chunk.startLine || line > lastShown).map(({line}) => line)
  const also = elsewhere.length > 0 ? `\nalso matches at line${elsewhere.length > 1 ? 's' : ''} ${elsewhere.join(', ')}` : ''
  const kind = file.kind === 'source' ? '' : ` (${file.kind})`
  const stale = file.stale ? ' (file changed since indexing)' : ''
  return `${file.path}:${chunk.startLine}-${chunk.endLine}${chunk.symbol ? ` ${chunk.symbol}` : ''}${kind}${stale}\n${shown.join('\n')}${more}${also}`
}
