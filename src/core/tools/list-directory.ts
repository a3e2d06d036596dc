import {readdir, readlink, stat} from 'node:fs/promises'
import {z} from 'zod'
import {lenientInt} from './arg-types.js'
import {describeMissing} from './path-hints.js'
import {compareNames, type ProjectEntry, walkProject} from './project-files.js'
import {defineTool, fail, ok} from './tool.js'

const MAX_ENTRIES = 300
/** Beyond this, the "more entries" note stops counting. */
const MAX_COUNTED = 5000
/** Rough characters per rendered entry, to fit the listing in the output budget. */
const CHARS_PER_ENTRY = 25

export const listDirectoryTool = defineTool({
  name: 'list_directory',
  description: 'List a directory as a tree, skipping gitignored files.',
  schema: z.object({
    path: z.string().default('.'),
    depth: lenientInt().min(1).max(5).default(2),
  }),
  readOnly: true,
  async execute(args, ctx) {
    const resolved = await ctx.access.resolveRead(args.path, 'list_directory')
    if (!resolved.ok) return fail(`list_directory: ${resolved.reason}`)
    const {abs, rel} = resolved

    const info = await stat(abs).catch(() => undefined)
    if (!info) return fail(`list_directory: ${await describeMissing(ctx.root, rel, ctx.signal)}`, 'not_found')
    if (!info.isDirectory()) return fail(`list_directory: ${rel} is a file; use read_file to see it`)

    const cap = Math.max(10, Math.min(MAX_ENTRIES, Math.floor(ctx.limits.outputChars / CHARS_PER_ENTRY)))
    const shown: ProjectEntry[] = []
    let more = 0
    // Breadth-first, so a capped listing still shows every top-level entry.
    for await (const entry of walkProject(ctx.root, {
      dir: rel,
      maxDepth: args.depth,
      order: 'breadth',
      signal: ctx.signal,
      hidden: (p) => !ctx.access.isVisible(p),
    })) {
      if (shown.length < cap) shown.push(entry)
      else if (++more >= MAX_COUNTED) break
    }

    if (shown.length === 0) return ok(`${rel === '.' ? 'the project root' : `${rel}/`} is empty (gitignored files are not listed)`)

    const baseDepth = rel === '.' ? 0 : 1
    const lines = rel === '.' ? [] : [`${rel}/`]
    shown.sort((a, b) => comparePaths(a.rel, b.rel))
    const hasShownChild = new Set(shown.map((e) => e.rel.slice(0, e.rel.lastIndexOf('/'))))

    for (const entry of shown) {
      const name = entry.rel.slice(entry.rel.lastIndexOf('/') + 1)
      const indent = '  '.repeat(entry.depth - 1 + baseDepth)
      let line = indent + name
      if (entry.type === 'dir') {
        line += '/'
        // A directory whose contents are not listed but exist gets " …" so it is not mistaken for empty.
        const unexplored = entry.depth >= args.depth || more > 0
        if (unexplored && !hasShownChild.has(entry.rel) && (await hasEntries(entry.abs))) line += ' …'
      } else if (entry.type === 'symlink') {
        const target = await readlink(entry.abs).catch(() => '?')
        line += ` -> ${target}`
      }
      lines.push(line)
    }

    if (more > 0) {
      const count = more >= MAX_COUNTED ? `${MAX_COUNTED}+` : String(more)
      lines.push(`[${count} more entries not shown — list a subdirectory]`)
    }
    return ok(lines.join('\n'), `listed ${rel === '.' ? 'the project root' : rel}: ${shown.length}${more > 0 ? '+' : ''} entries`)
  },
})

function comparePaths(a: string, b: string): number {
  const as = a.split('/')
  const bs = b.split('/')
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const order = compareNames(as[i]!, bs[i]!)
    if (order !== 0) return order
  }
  return as.length - bs.length
}

async function hasEntries(dir: string): Promise<boolean> {
  const names = await readdir(dir).catch(() => [] as string[])
  return names.some((name) => name !== '.git' && name !== 'node_modules')
}
