import {mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'

/**
 * A lock between faithh processes: a directory (mkdir is atomic) holding its owner's pid. A lock
 * whose owner has died is taken over, so a crash never leaves a project locked.
 */
export async function withDirLock<T>(lockDir: string, work: () => Promise<T>, {waitMs, busy}: {waitMs: number; busy: (owner: number) => Error}): Promise<T> {
  const deadline = Date.now() + waitMs
  for (;;) {
    try {
      await mkdir(lockDir)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const owner = Number(await readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => 'NaN'))
      // No pid yet: the owner is between its mkdir and its write; wait like for a live owner.
      if (Number.isInteger(owner) && !isAlive(owner)) {
        await rm(lockDir, {recursive: true, force: true})
        continue
      }

      if (Date.now() >= deadline) throw busy(owner)
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
  }

  try {
    await writeFile(path.join(lockDir, 'pid'), String(process.pid))
    return await work()
  } finally {
    await rm(lockDir, {recursive: true, force: true})
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
