import {randomBytes} from 'node:crypto'
import {chmod, open, rename, stat, unlink} from 'node:fs/promises'
import path from 'node:path'

/**
 * Writes via a temp file in the same directory and a rename, so readers never see half a file and
 * a crash leaves the old content intact. An existing file keeps its permission bits.
 * `mode` (e.g. when undo restores a file) overrides that. The parent directory must exist; `abs`
 * should already be symlink-resolved.
 */
export async function atomicWrite(abs: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const existingMode =
    mode ??
    (await stat(abs).then(
      (s) => s.mode & 0o7777,
      () => undefined,
    ))
  const dir = path.dirname(abs)
  const tmp = path.join(dir, `.${path.basename(abs)}.${randomBytes(6).toString('hex')}.faithh-tmp`)

  const handle = await open(tmp, 'wx', existingMode ?? 0o666)
  try {
    try {
      await handle.writeFile(data)
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
