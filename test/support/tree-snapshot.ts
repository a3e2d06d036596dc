import {createHash} from 'node:crypto'
import {lstat, readdir, readFile, readlink} from 'node:fs/promises'
import path from 'node:path'

/**
 * Every entry under `dir` (but the skipped ones) with its kind, size, modification time and content
 * hash; links with their target. Taken before and after a run, it proves the run changed nothing there.
 */
export async function snapshotTree(dir: string, skip: (rel: string) => boolean = () => false): Promise<string> {
  const lines: string[] = []
  const walk = async (current: string): Promise<void> => {
    for (const name of (await readdir(current)).sort()) {
      const full = path.join(current, name)
      const rel = path.relative(dir, full)
      if (skip(rel)) continue
      const stat = await lstat(full)
      if (stat.isSymbolicLink()) lines.push(`${rel} -> ${await readlink(full)}`)
      else if (stat.isDirectory()) {
        lines.push(`${rel}/ ${stat.mtimeMs}`)
        await walk(full)
      } else {
        const hash = createHash('sha256')
          .update(await readFile(full))
          .digest('hex')
        lines.push(`${rel} ${stat.size} ${stat.mtimeMs} ${hash}`)
      }
    }
  }

  await walk(dir)
  return lines.join('\n')
}
