import {chmod, open, rename, stat, unlink, writeFile} from 'node:fs/promises'
import path from 'node:path'

/**
 * Writes via a temp file in the same directory and a rename, so readers never see half a file and
 * a crash leaves the old content intact. An existing file keeps its permission bits.
 * `mode` (e.g. when undo restores a file) overrides that. The parent directory must exist; `abs`
 * should already be symlink-resolved. `data` may come in pieces (an iterable of strings), written as
 * they come: a large file need not be one string in memory.
 */
export async function atomicWrite(abs: string, data: string | Uint8Array | Iterable<string>, mode?: number): Promise<void> {
  const existingMode =
    mode ??
    (await stat(abs).then(
      (s) => s.mode & 0o7777,
      () => undefined,
    ))
  const dir = path.dirname(abs)
  // A name no other writer has at the moment ('wx' refuses one that exists): Math.random is enough,
  // and spares every command that imports this module (search, ask) loading node:crypto.
  const tmp = path.join(dir, `.${path.basename(abs)}.${Math.random().toString(16).slice(2, 14)}.faithh-tmp`)

  const handle = await open(tmp, 'wx', existingMode ?? 0o666)
  try {
    try {
      await writeFile(handle, data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    // open() applies the umask; chmod restores the exact bits of the file being replaced.
    if (existingMode !== undefined) await chmod(tmp, existingMode)
    await rename(tmp, abs)
  } catch (error) {
    await unlink(tmp).catch(() => {})
    throw error
  }
}
