import {lstat} from 'node:fs/promises'
import path from 'node:path'

/** A run rarely involves more folders than this; beyond it, each extra one is a stat per instruction file name for little gain. */
const MAX_DIRS = 32
/** Path-like words looked at in a question, task or command line. */
const MAX_NAMED = 24

/**
 * The folders whose instruction files apply, root-relative ('' is the root): the root, then each
 * folder on the way down to every folder given. Root first, then by depth, then by name, without
 * repeats; anything outside the root is dropped.
 */
export function instructionDirs(folders: string[]): string[] {
  const dirs = new Set<string>([''])
  for (const folder of folders) {
    const normal = path.posix.normalize(folder.replaceAll('\\', '/')).replace(/\/+$/, '')
    if (normal === '.' || normal === '') continue
    if (normal.startsWith('../') || normal === '..' || path.posix.isAbsolute(normal)) continue
    const parts = normal.split('/')
    for (let depth = 1; depth <= parts.length; depth++) dirs.add(parts.slice(0, depth).join('/'))
  }

  const depth = (dir: string) => (dir === '' ? 0 : dir.split('/').length)
  return [...dirs].sort((a, b) => depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0)).slice(0, MAX_DIRS)
}

/**
 * The folders of the project files and folders that a question, task or command line names
 * ("fix src/api/routes.ts:40", "pytest tests/unit"), root-relative. A word counts when it exists
 * in the project, read from the root or from `cwd` (root-relative); only names are looked at
 * (lstat), nothing is read.
 */
export async function namedFolders(text: string, root: string, cwd = ''): Promise<string[]> {
  const folders = new Set<string>()
  for (const word of pathLikeWords(text)) {
    for (const base of cwd ? [cwd, ''] : ['']) {
      const rel = path.posix.normalize(path.posix.join(base, word)).replace(/\/+$/, '')
      if (rel === '..' || rel.startsWith('../') || path.posix.isAbsolute(rel)) continue
      const info = await lstat(path.join(root, rel)).catch(() => undefined)
      if (!info) continue
      const folder = info.isDirectory() ? rel : path.posix.dirname(rel)
      folders.add(folder === '.' ? '' : folder)
      break
    }
  }

  return [...folders]
}

/** Words with a "/" or a file extension, trimmed of quotes, brackets, trailing punctuation and a :line suffix. */
function pathLikeWords(text: string): string[] {
  const words: string[] = []
  for (const raw of text.split(/[\s"'`()[\]{}<>,;|&=]+/)) {
    const word = raw
      .replace(/^\.\//, '')
      .replace(/(:\d+)+$/, '')
      .replace(/[.:!?]+$/, '')
    if (!word || word.startsWith('-') || word.includes('://') || word.length > 300) continue
    if (!word.includes('/') && !/\.[A-Za-z0-9]{1,10}$/.test(word)) continue
    if (!words.includes(word)) words.push(word)
    if (words.length >= MAX_NAMED) break
  }

  return words
}
