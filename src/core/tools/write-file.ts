import {mkdir, open, stat} from 'node:fs/promises'
import path from 'node:path'
import {z} from 'zod'
import {atomicWrite} from './atomic-write.js'
import {resolveProjectPath} from './project-paths.js'
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
    const resolved = await resolveProjectPath(ctx.root, args.path)
    if (!resolved.ok) return fail(`write_file: ${resolved.reason}`)
    const {abs, rel} = resolved

    const existing = await stat(abs).catch(() => undefined)
    if (existing?.isDirectory()) return fail(`write_file: ${rel} is a directory; give a file path inside it`)
    if (existing && !existing.isFile()) return fail(`write_file: ${rel} is not a regular file`)

    let content = args.content
    let note = ''
    if (existing) {
      // Keep a Windows file Windows: models write LF.
      if (usesCrlf(await readHead(abs)) && !content.includes('\r')) {
        content = content.replace(/\n/g, '\r\n')
        note = ', CRLF line endings kept'
      }
    }

    try {
      await mkdir(path.dirname(abs), {recursive: true})
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EEXIST' || code === 'ENOTDIR') {
        return fail(`write_file: cannot create ${rel}: a parent path is a file, not a directory`)
      }
      throw error
    }
    await atomicWrite(abs, content)

    const lines = plural(lineSpan(args.content), 'line')
    return ok(existing ? `overwrote ${rel} (${lines}${note})` : `created ${rel} (${lines})`)
  },
})

/** True when the first line break is CRLF. */
export function usesCrlf(text: string): boolean {
  const lf = text.indexOf('\n')
  return lf > 0 && text[lf - 1] === '\r'
}

async function readHead(abs: string): Promise<string> {
  const handle = await open(abs, 'r')
  try {
    const buffer = Buffer.alloc(16 * 1024)
    const {bytesRead} = await handle.read(buffer, 0, buffer.length, 0)
    return buffer.subarray(0, bytesRead).toString('utf8')
  } finally {
    await handle.close()
  }
}
