import {z} from 'zod'
import {lenientInt} from './arg-types.js'
import {fileKind} from './file-kind.js'
import {describeMissing} from './path-hints.js'
import {isBinary} from './project-files.js'
import {formatLine, plural, splitLines} from './text-lines.js'
import {defineTool, fail, ok} from './tool.js'

/** Beyond this read_file refuses instead of loading the whole file to count its lines. */
const MAX_FILE_BYTES = 50 * 1024 * 1024
/** Minified one-liners are cut so one line cannot eat the whole output budget. */
const MAX_LINE_CHARS = 2000
/** Room kept for the truncation note inside the tool output cap. */
const NOTE_RESERVE = 200

export const readFileTool = defineTool({
  name: 'read_file',
  description: 'Read a text file with line numbers. Use start_line/end_line for large files.',
  schema: z.object({
    path: z.string(),
    start_line: lenientInt().min(1).optional(),
    end_line: lenientInt().min(1).optional(),
  }),
  readOnly: true,
  async execute(args, ctx) {
    const resolved = await ctx.access.resolveRead(args.path, 'read_file')
    if (!resolved.ok) return fail(`read_file: ${resolved.reason}`)
    const {abs, rel} = resolved

    // A change staged by this run (faithh edit) is what the model should see, not the disk.
    if (!ctx.access.isStaged(abs)) {
      const found = await fileKind(abs)
      if (found.kind === 'missing') return fail(`read_file: ${await describeMissing(ctx.root, rel, ctx.signal)}`, 'not_found')
      if (found.kind === 'directory') return fail(`read_file: ${rel} is a directory; use list_directory to see its contents`)
      if (found.kind === 'other') return fail(`read_file: ${rel} is not a regular file`)
      if (found.size > MAX_FILE_BYTES) {
        return fail(`read_file: ${rel} is ${(found.size / 1024 / 1024).toFixed(0)} MB, too large to read; use search_code to find the lines you need`)
      }
    }

    const buffer = await ctx.access.readBytes(abs)
    if (!buffer) return fail(`read_file: ${await describeMissing(ctx.root, rel, ctx.signal)}`, 'not_found')
    if (isBinary(buffer)) return fail(`read_file: ${rel} is a binary file (${buffer.length} bytes); not shown`)

    const lines = splitLines(buffer.toString('utf8').replace(/^\uFEFF/, ''))
    const total = lines.length
    if (total === 0) return ok(`${rel} is empty`)

    const start = args.start_line ?? 1
    if (start > total) return fail(`read_file: start_line ${start} is past the end of ${rel} (${total} lines)`, 'invalid_arguments')
    if (args.end_line !== undefined && args.end_line < start) {
      return fail(`read_file: end_line ${args.end_line} is before start_line ${start}`, 'invalid_arguments')
    }
    const end = Math.min(args.end_line ?? total, total)

    const maxChars = Math.max(ctx.limits.outputChars - NOTE_RESERVE, 200)
    const maxBytes = ctx.limits.readBytes
    const width = String(end).length
    const out: string[] = []
    let chars = 0
    let bytes = 0
    let last = start - 1
    for (let n = start; n <= end; n++) {
      let line = lines[n - 1]!
      if (line.length > MAX_LINE_CHARS) {
        line = `${line.slice(0, MAX_LINE_CHARS)}… [line cut, ${line.length} chars]`
      }
      let formatted = formatLine(n, line, width)
      const lineBytes = Buffer.byteLength(formatted) + 1
      if (chars + formatted.length + 1 > maxChars || bytes + lineBytes > maxBytes) {
        if (out.length > 0) break
        // Not even one line fits: show its start rather than nothing.
        formatted = `${formatted.slice(0, Math.min(maxChars, maxBytes))}… [line cut]`
      }
      out.push(formatted)
      chars += formatted.length + 1
      bytes += lineBytes
      last = n
    }

    let text = out.join('\n')
    const summary = start === 1 && last === total ? `read ${rel} (${plural(total, 'line')})` : `read ${rel}, lines ${start}-${last} of ${total}`
    if (last < end) {
      text += `\n[truncated at line ${last} of ${total} — call read_file with start_line=${last + 1} to continue]`
    } else if (start > 1 || end < total) {
      text += `\n[lines ${start}-${end} of ${total}]`
    }
    return ok(text, summary)
  },
})
