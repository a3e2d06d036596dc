import {lstat, open} from 'node:fs/promises'
import path from 'node:path'

import type {ProjectAccess} from '../access/project-access.js'
import {fileKind} from '../tools/file-kind.js'

/** One instruction file as read: its text (maybe only the head of a huge file), or why it was not used. */
export type InstructionRead =
  | {ok: true; rel: string; text: string /** Only the first `maxBytes` were read. */; cut: boolean}
  | {ok: false; rel: string; reason: string}

/**
 * Reads `rel` (root-relative) if it exists, through the permission gate like any read: a symlink
 * out of the project is followed only with the user's approval, a forbidden file not at all.
 * Only the first `maxBytes` are read: more could never fit the budget. Binary and non-UTF-8 files
 * are refused rather than guessed at. Undefined when there is no such file.
 */
export async function readInstructionFile(access: ProjectAccess, rel: string, maxBytes: number): Promise<InstructionRead | undefined> {
  // lstat, not the gate: asking the user about a file that does not exist would be absurd.
  if (!(await lstat(path.join(access.root, rel)).catch(() => undefined))) return undefined
  const resolved = await access.resolveRead(rel, 'instructions')
  if (!resolved.ok) return {ok: false, rel, reason: resolved.reason}
  const found = await fileKind(resolved.abs).catch((error: NodeJS.ErrnoException) => ({kind: 'error' as const, code: error.code}))
  if (found.kind === 'missing') return {ok: false, rel, reason: 'it is a symlink to nothing'}
  if (found.kind !== 'file') return {ok: false, rel, reason: found.kind === 'error' ? `cannot read it (${found.code})` : 'it is not a regular file'}

  let bytes: Buffer
  try {
    bytes = await readHead(resolved.abs, maxBytes)
  } catch (error) {
    return {ok: false, rel, reason: `cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`}
  }

  const cut = found.size > bytes.length
  if (bytes.includes(0)) return {ok: false, rel, reason: 'it is a binary file'}
  let text: string
  try {
    // stream: a cut read may end inside a multi-byte character; that tail is dropped, not an error. The BOM goes.
    text = new TextDecoder('utf-8', {fatal: true}).decode(bytes, {stream: cut})
  } catch {
    return {ok: false, rel, reason: 'it is not UTF-8 text'}
  }

  return {ok: true, rel, text, cut}
}

async function readHead(abs: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(abs, 'r')
  try {
    const buffer = Buffer.alloc(maxBytes)
    let filled = 0
    while (filled < maxBytes) {
      const {bytesRead} = await handle.read(buffer, filled, maxBytes - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }

    return buffer.subarray(0, filled)
  } finally {
    await handle.close()
  }
}
