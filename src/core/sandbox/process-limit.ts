import {mkdir, readFile, rmdir, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {CGROUP_PREFIX, track, untrack} from './leftovers.js'

/**
 * How the number of processes a sandboxed command may start is capped. RLIMIT_NPROC is the usual
 * tool, but the kernel never enforces it for root (uid 0 keeps INIT_USER even inside a user
 * namespace), and before Linux 5.14 it counted all of the user's processes, not the sandbox's.
 * So: for root, a pids cgroup when one can be created; for other users on 5.14+, the rlimit, set
 * inside the sandbox's user namespace, where the kernel counts only the sandbox's processes.
 */
export type ProcessLimitMethod = 'cgroup' | 'rlimit' | 'none'

export interface ProcessLimitSupport {
  method: ProcessLimitMethod
  /** The cgroup whose children faithh creates, for 'cgroup'. */
  cgroupParent?: string
  /** Why there is no limit, for 'none'. */
  reason?: string
}

export interface ProcessCgroup {
  /** Write a pid here to put that process (and its future children) under the limit. */
  procsFile: string
  /** Removes the cgroup once its processes are gone; says whether the limit was hit. */
  release(): Promise<{limitHit: boolean}>
}

let sequence = 0

export async function probeProcessLimit(): Promise<ProcessLimitSupport> {
  if (os.platform() !== 'linux') return {method: 'none', reason: 'no process limit on this platform'}
  const uid = process.getuid?.() ?? 0
  if (uid !== 0) {
    const [major = 0, minor = 0] = os
      .release()
      .split('.')
      .map((part) => Number.parseInt(part, 10))
    if (major > 5 || (major === 5 && minor >= 14)) return {method: 'rlimit'}
    return {method: 'none', reason: `Linux ${os.release()} counts all of your processes against RLIMIT_NPROC (5.14+ counts the sandbox's own)`}
  }

  const parent = await writableCgroupParent()
  if (!parent) return {method: 'none', reason: 'running as root, where RLIMIT_NPROC is not enforced, and no pids cgroup can be created here'}
  try {
    const trial = await createProcessCgroup(parent, 16)
    await trial.release()
    return {method: 'cgroup', cgroupParent: parent}
  } catch (error) {
    return {
      method: 'none',
      reason: `running as root, where RLIMIT_NPROC is not enforced, and the pids cgroup ${parent} is not usable (${(error as Error).message})`,
    }
  }
}

/** A fresh pids cgroup under `parent` allowing `max` tasks (threads count too). */
export async function createProcessCgroup(parent: string, max: number): Promise<ProcessCgroup> {
  let dir: string
  for (;;) {
    dir = path.join(parent, `${CGROUP_PREFIX}${++sequence}`)
    try {
      await mkdir(dir)
      break
    } catch (error) {
      // Worker threads share the pid, each with its own count: the name is taken, take the next.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }

  track(dir)
  try {
    await writeFile(path.join(dir, 'pids.max'), String(max))
  } catch (error) {
    await rmdir(dir).catch(() => {})
    untrack(dir)
    throw error
  }

  return {
    procsFile: path.join(dir, 'cgroup.procs'),
    async release() {
      const events = await readFile(path.join(dir, 'pids.events'), 'utf8').catch(() => '')
      const limitHit = /^max\s+[1-9]/m.test(events)
      // The kernel refuses to remove a cgroup with live tasks; the sandbox's last ones die with it.
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          await rmdir(dir)
          untrack(dir)
          break
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
      }

      return {limitHit}
    },
  }
}

/** cgroup v1's pids hierarchy, or a v2 cgroup that already hands the pids controller to its children. */
async function writableCgroupParent(): Promise<string | undefined> {
  const membership = await readFile('/proc/self/cgroup', 'utf8').catch(() => '')
  for (const line of membership.split('\n')) {
    const [, controllers, where] = /^\d+:([^:]*):(.*)$/.exec(line) ?? []
    if (controllers === undefined || where === undefined) continue
    if (controllers.split(',').includes('pids')) return path.join('/sys/fs/cgroup/pids', where)
    if (controllers === '') {
      const dir = path.join('/sys/fs/cgroup', where)
      const subtree = await readFile(path.join(dir, 'cgroup.subtree_control'), 'utf8').catch(() => '')
      if (subtree.split(/\s+/).includes('pids')) return dir
    }
  }

  return undefined
}
