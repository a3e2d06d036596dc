import {readdir} from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'

/**
 * `grep -r foo .` reads every file below `.`, `.env` included, though its argv never names it.
 * Before such a search is allowed, the folder is listed (names only) for forbidden files the search
 * would reach. The listing is capped: past the cap the search is let through, which keeps a huge
 * tree fast to judge; the cap is well above a normal source tree outside node_modules.
 */
const MAX_ENTRIES = 5000
/** Never searched for secrets: vendored code and git's object store, both huge and both machine-made. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git'])

export interface SearchScope {
  /** rg skips hidden files unless told otherwise; grep -r does not. */
  skipsHidden: boolean
  /** Globs the search itself leaves out (grep --exclude/--exclude-dir, rg -g '!…'), matched against names. */
  excluded: string[]
}

/** Reported at once, so that one retry with all the exclusions is enough. */
const MAX_REPORTED = 5

/** Forbidden files (root-relative, a few at most) that a recursive search of `dir` would read. */
export async function forbiddenInSearch(dir: string, root: string, isForbidden: (rel: string) => boolean, scope: SearchScope): Promise<string[]> {
  const excluded = scope.excluded.map((glob) => picomatch(glob, {dot: true}))
  const left = (name: string): boolean => (scope.skipsHidden && name.startsWith('.')) || excluded.some((isMatch) => isMatch(name))
  const queue = [dir]
  const found: string[] = []
  let seen = 0
  while (queue.length > 0) {
    const current = queue.shift()!
    const entries = await readdir(current, {withFileTypes: true}).catch(() => [])
    for (const entry of entries) {
      seen += 1
      if (seen > MAX_ENTRIES) return found
      if (left(entry.name)) continue
      const full = path.join(current, entry.name)
      const rel = path.relative(root, full).split(path.sep).join('/')
      if (isForbidden(rel)) {
        found.push(rel)
        if (found.length >= MAX_REPORTED) return found
        continue
      }

      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name)) queue.push(full)
    }
  }

  return found
}
