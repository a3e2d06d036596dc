import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'

/** Manifests worth reading are small; a bigger file is not one `faithh init` can learn from. */
const MAX_MANIFEST_BYTES = 1024 * 1024

/** A project file's text, or undefined when it is missing, not a file, too big or unreadable. */
export async function readProjectText(root: string, rel: string): Promise<string | undefined> {
  const abs = path.join(root, rel)
  const info = await stat(abs).catch(() => undefined)
  if (!info?.isFile() || info.size > MAX_MANIFEST_BYTES) return undefined
  return readFile(abs, 'utf8').catch(() => undefined)
}

/** Does the project have this file or folder (symlinks followed)? */
export async function exists(root: string, rel: string): Promise<boolean> {
  return stat(path.join(root, rel)).then(
    () => true,
    () => false,
  )
}
