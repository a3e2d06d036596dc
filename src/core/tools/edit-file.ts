import {z} from 'zod'
import {lenientBoolean} from './arg-types.js'
import {findNearMatch} from './edit-near-match.js'
import {describeAmbiguous, describeNearEdit, describeUnplaced, diagnoseMiss, listLines, range} from './edit-report.js'
import {fileKind} from './file-kind.js'
import {describeMissing} from './path-hints.js'
import {isBinary, isValidUtf8} from './project-files.js'
import {lineAt, splitLines} from './text-lines.js'
import {defineTool, fail, ok, type ToolResult} from './tool.js'

export const editFileTool = defineTool({
  name: 'edit_file',
  description: 'Replace old_text with new_text in a file. old_text must match exactly once unless replace_all.',
  schema: z.object({
    path: z.string(),
    old_text: z.string(),
    new_text: z.string(),
    replace_all: lenientBoolean().optional(),
  }),
  readOnly: false,
  async execute(args, ctx) {
    const resolved = await ctx.access.resolveWrite(args.path)
    if (!resolved.ok) return fail(`edit_file: ${resolved.reason}`)
    const {abs, rel} = resolved

    if (!ctx.access.isStaged(abs)) {
      const found = await fileKind(abs)
      if (found.kind === 'missing') {
        return fail(`edit_file: ${await describeMissing(ctx.root, rel, ctx.signal)} To create a file use write_file.`, 'not_found')
      }
      if (found.kind === 'directory') return fail(`edit_file: ${rel} is a directory, not a file`)
      if (found.kind === 'other') return fail(`edit_file: ${rel} is not a regular file`)
    }

    if (args.old_text === '') {
      return fail('edit_file: old_text is empty; give the exact text to replace (to rewrite a whole file use write_file)')
    }
    if (args.old_text === args.new_text) return fail('edit_file: old_text and new_text are the same; nothing to change')

    const buffer = await ctx.access.readBytes(abs)
    if (!buffer) return fail(`edit_file: ${await describeMissing(ctx.root, rel, ctx.signal)} To create a file use write_file.`, 'not_found')
    if (isBinary(buffer)) return fail(`edit_file: ${rel} is a binary file; not edited`)
    if (!isValidUtf8(buffer)) return fail(`edit_file: ${rel} is not valid UTF-8; editing it would corrupt it`)

    const decoded = buffer.toString('utf8')
    const bom = decoded.startsWith('\uFEFF') ? '\uFEFF' : ''
    const body = decoded.slice(bom.length)
    const write = async (text: string, report: string): Promise<ToolResult> => {
      const written = await ctx.access.write({abs, rel}, bom + text, 'edit_file')
      return written.ok ? ok(report) : fail(`edit_file: ${written.reason}`)
    }

    // Match in the file's own line endings: a model writes LF even when the file is CRLF.
    let needle = ''
    let replacement = ''
    let indices: number[] = []
    for (const eol of lineEndingsToTry(body)) {
      needle = withEol(args.old_text, eol)
      replacement = withEol(args.new_text, eol)
      indices = findAll(body, needle)
      if (indices.length > 0) break
    }

    if (indices.length === 0) return editNearMatch(body, args.old_text, args.new_text, rel, write)

    const lines = lineNumbersAt(body, indices)
    if (indices.length > 1 && args.replace_all !== true) {
      return fail(
        `edit_file: old_text matched ${indices.length} places in ${rel} (lines ${listLines(lines)}); include more surrounding lines to pick one, or set replace_all=true`,
      )
    }

    if (indices.length > 1) {
      return write(body.split(needle).join(replacement), `edited ${rel}: replaced ${indices.length} occurrences (lines ${listLines(lines)})`)
    }

    const at = indices[0]!
    const result = body.slice(0, at) + replacement + body.slice(at + needle.length)
    const first = lines[0]!
    const oldRange = range(first, lineAt(body, at + needle.length - 1))
    if (replacement === '') return write(result, `edited ${rel}: removed text at ${oldRange}`)
    const newRange = range(first, lineAt(result, at + replacement.length - 1))
    return write(result, `edited ${rel}: replaced ${oldRange}; new text is at ${newRange}`)
  },
})

/**
 * old_text is not in the file as written: apply the edit where old_text nearly matches, if exactly
 * one place does (see edit-near-match.ts), and say what was matched and how; else explain the miss.
 */
async function editNearMatch(
  body: string,
  oldText: string,
  newText: string,
  rel: string,
  write: (text: string, report: string) => Promise<ToolResult>,
): Promise<ToolResult> {
  const fileLines = splitLines(body)
  const oldLines = splitLines(oldText.replace(/\r\n/g, '\n'))
  // read_file's `12| ` prefixes pasted into old_text are a mistake to point out, not a near match.
  if (hasLinePrefixes(oldLines)) return fail(`edit_file: ${diagnoseMiss(body, oldText, rel)}`)
  const near = findNearMatch(fileLines, oldLines)
  if (near.kind === 'ambiguous') return fail(describeAmbiguous(rel, near))
  if (near.kind === 'none') return fail(`edit_file: ${diagnoseMiss(body, oldText, rel)}`)
  const newLines = splitLines(newText.replace(/\r\n/g, '\n'))
  // With the diff package it uses: loaded for the first near match, not with the tools.
  const {patchNearMatch, unplacedChanges} = await import('./edit-patch.js')
  const unplaced = unplacedChanges(near.match, oldLines, newLines)
  if (unplaced.length > 0)
    return fail(
      describeUnplaced(
        rel,
        near.match,
        unplaced.map((k) => oldLines[k]!),
      ),
    )
  const patched = patchNearMatch(body, near.match, oldLines, newLines)
  const lineEndings = oldText.includes('\r\n') !== body.includes('\r\n')
  return write(patched.text, describeNearEdit(rel, near.match, patched, oldLines, fileLines, lineEndings))
}

function hasLinePrefixes(lines: string[]): boolean {
  const content = lines.filter((line) => line.trim() !== '')
  return content.length > 0 && content.every((line) => /^\s*\d+\| ?/.test(line))
}

function lineEndingsToTry(body: string): string[] {
  const crlf = body.split('\r\n').length - 1
  if (crlf === 0) return ['\n']
  const lf = body.split('\n').length - 1 - crlf
  return crlf >= lf ? ['\r\n', '\n'] : ['\n', '\r\n']
}

function withEol(text: string, eol: string): string {
  const lf = text.replace(/\r\n/g, '\n')
  return eol === '\n' ? lf : lf.replace(/\n/g, eol)
}

function findAll(haystack: string, needle: string): number[] {
  const found: number[] = []
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + needle.length)) found.push(i)
  return found
}

/** Line numbers of sorted character offsets, in one pass. */
function lineNumbersAt(text: string, offsets: number[]): number[] {
  const result: number[] = []
  let line = 1
  let pos = 0
  for (const offset of offsets) {
    for (let i = text.indexOf('\n', pos); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++
      pos = i + 1
    }
    result.push(line)
  }
  return result
}
