import {stat} from 'node:fs/promises'
import {z} from 'zod'
import {lenientBoolean} from './arg-types.js'
import {isBinary, walkProject} from './project-files.js'
import {plural} from './text-lines.js'
import {defineTool, fail, ok} from './tool.js'

const MAX_FILE_BYTES = 1024 * 1024
const MAX_MATCHES = 100
const MAX_LINE_CHARS = 200
/** Beyond this many unshown matches the note stops counting (and the search stops). */
const MAX_COUNTED = 1000

export const searchCodeTool = defineTool({
  name: 'search_code',
  description: 'Search file contents for text (or a regex). Prints path:line: text.',
  schema: z.object({
    pattern: z.string(),
    regex: lenientBoolean().optional(),
    glob: z.string().optional().describe('e.g. src/**/*.ts'),
    case_sensitive: lenientBoolean().optional(),
  }),
  readOnly: true,
  async execute(args, ctx) {
    if (args.pattern === '') return fail('search_code: pattern is empty', 'invalid_arguments')
    if (!args.regex && args.pattern.includes('\n')) {
      return fail('search_code: matches one line at a time; search for a single line of the text', 'invalid_arguments')
    }
    // Smart case, like ripgrep: an uppercase letter in the pattern makes the search case-sensitive.
    const caseSensitive = args.case_sensitive ?? /[A-Z]/.test(args.pattern.replace(/\\./g, ''))
    let matcher: RegExp
    try {
      matcher = new RegExp(args.regex ? args.pattern : escapeRegExp(args.pattern), caseSensitive ? '' : 'i')
    } catch (error) {
      return fail(`search_code: invalid regex — ${(error as Error).message}. Fix it, or set regex=false to search the text literally`, 'invalid_arguments')
    }
    const glob = args.glob?.trim() || undefined

    const budget = Math.max(ctx.limits.outputChars - 300, 500)
    const out: string[] = []
    let chars = 0
    let more = 0
    let files = 0
    let skippedLarge = 0

    search: for await (const entry of walkProject(ctx.root, {glob, filesOnly: true, signal: ctx.signal, hidden: (p) => !ctx.access.isVisible(p)})) {
      if (entry.type !== 'file') continue
      ctx.signal.throwIfAborted()
      const info = await stat(entry.abs).catch(() => undefined)
      if (!info) continue
      if (info.size > MAX_FILE_BYTES) {
        skippedLarge++
        continue
      }
      const buffer = await ctx.access.readBytes(entry.abs).catch(() => undefined)
      if (!buffer || isBinary(buffer)) continue
      files++

      const lines = buffer.toString('utf8').split('\n')
      for (let i = 0; i < lines.length; i++) {
        const raw = lines[i]!
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
        const match = matcher.exec(line)
        if (!match) continue
        const formatted = `${entry.rel}:${i + 1}: ${excerpt(line, match.index)}`
        if (out.length < MAX_MATCHES && chars + formatted.length + 1 <= budget) {
          out.push(formatted)
          chars += formatted.length + 1
        } else if (++more >= MAX_COUNTED) {
          break search
        }
      }
    }

    const skipped = skippedLarge > 0 ? ` (${plural(skippedLarge, 'file')} over 1 MB skipped)` : ''
    if (out.length === 0) {
      const where = glob ? ` matching ${glob}` : ''
      if (files === 0 && glob) return ok(`no files match glob ${glob} (gitignored files are skipped)${skipped}`)
      return ok(`no matches for ${JSON.stringify(args.pattern)} in ${plural(files, 'file')}${where}${skipped}`)
    }
    const found = out.length + more
    const summary = `${found}${more >= MAX_COUNTED ? '+' : ''} ${found === 1 ? 'match' : 'matches'} for ${JSON.stringify(args.pattern)} (${plural(files, 'file')} searched)`
    if (more > 0) {
      const count = more >= MAX_COUNTED ? `${MAX_COUNTED}+` : String(more)
      out.push(`[${count} more matches — narrow with glob or a more specific pattern]${skipped}`)
    } else if (skipped) {
      out.push(`[${skipped.trim().slice(1, -1)}]`)
    }
    return ok(out.join('\n'), summary)
  },
})

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The line without indentation, cut to a window around the match when long. */
function excerpt(line: string, matchIndex: number): string {
  const indent = line.length - line.trimStart().length
  const text = line.trim()
  if (text.length <= MAX_LINE_CHARS) return text
  const at = Math.max(0, matchIndex - indent)
  const start = Math.max(0, Math.min(at - 50, text.length - MAX_LINE_CHARS))
  const end = start + MAX_LINE_CHARS
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`
}
