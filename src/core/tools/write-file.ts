import {stat} from 'node:fs/promises'
import type {Stats} from 'node:fs'
import path from 'node:path'
import {z} from 'zod'
import {lineSpan, plural} from './text-lines.js'
import {defineTool, fail, ok} from './tool.js'

export const writeFileTool = defineTool({
  name: 'write_file',
  description: 'Create a file, or overwrite one with the full new content.',
  schema: z.object({
    path: z.string(),
    content: z.string(),
  }),
  readOnly: false,
  async execute(args, ctx) {
    const resolved = await ctx.access.resolveWrite(args.path)
    if (!resolved.ok) return fail(`write_file: ${resolved.reason}`)
    const {abs, rel} = resolved

    const info = await stat(abs).catch(() => undefined)
    if (info?.isDirectory()) return fail(`write_file: ${rel} is a directory; give a file path inside it`)
    if (info && !info.isFile()) return fail(`write_file: ${rel} is not a regular file`)
    const parent = await nearestExisting(path.dirname(abs))
    if (parent && !parent.isDirectory()) return fail(`write_file: cannot create ${rel}: a parent path is a file, not a directory`)

    const existing = await ctx.access.readBytes(abs)
    let content = args.content
    let note = ''
    // Keep a Windows file Windows: models write LF.
    if (existing && usesCrlf(existing.subarray(0, 16 * 1024).toString('utf8')) && !content.includes('\r')) {
      content = content.replace(/\n/g, '\r\n')
      note = ', CRLF line endings kept'
    }

    const written = await ctx.access.write({abs, rel}, content, 'write_file')
    if (!written.ok) return fail(`write_file: ${written.reason}`)

    const lines = plural(lineSpan(args.content), 'line')
    return ok(existing ? `overwrote ${rel} (${lines}${note})` : `created ${rel} (${lines})`)
  },
})

/** True when the first line break is CRLF. */
export function usesCrlf(text: string): boolean {
  const lf = text.indexOf('\n')
  return lf > 0 && text[lf - 1] === '\r'
}

/** The first path component that exists, walking up from `dir`: a file there blocks creating below it. */
async function nearestExisting(dir: string): Promise<Stats | undefined> {
  for (let current = dir; ; current = path.dirname(current)) {
    const info = await stat(current).catch(() => undefined)
    if (info || path.dirname(current) === current) return info
  }
}
