import {readdirSync, rmdirSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/**
 * What a sandboxed run leaves on the host while it runs: its temp folder and its pids cgroup. Both
 * carry faithh's pid in their name. They are removed when the run ends; when faithh exits in the
 * middle (Ctrl-C twice, process.exit), by an exit handler; when it is killed outright, by the next
 * faithh that runs a command, which sweeps those whose process is gone.
 */
export const SCRATCH_PREFIX = `faithh-sandbox-${process.pid}-`
export const CGROUP_PREFIX = `faithh-${process.pid}-`

const live = new Set<string>()
let handlerInstalled = false
let swept = false

export function track(entry: string): void {
  live.add(entry)
  if (handlerInstalled) return
  handlerInstalled = true
  process.once('exit', () => {
    for (const leftover of live) remove(leftover)
  })
}

export function untrack(entry: string): void {
  live.delete(entry)
}

/** Once per process: temp folders and cgroups of faithh processes that no longer exist. */
export function sweepLeftovers(cgroupParent?: string): void {
  if (swept) return
  swept = true
  const places: Array<{dir: string; pattern: RegExp}> = [{dir: os.tmpdir(), pattern: /^faithh-sandbox-(\d+)-/}]
  if (cgroupParent) places.push({dir: cgroupParent, pattern: /^faithh-(\d+)-\d+$/})
  for (const {dir, pattern} of places) {
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      continue
    }

    for (const name of names) {
      const pid = Number(pattern.exec(name)?.[1])
      if (pid && !isAlive(pid)) remove(path.join(dir, name))
    }
  }
}

function remove(entry: string): void {
  try {
    // A cgroup is removed with rmdir (its control files cannot be deleted); a temp folder with everything in it.
    if (entry.includes(`${path.sep}cgroup${path.sep}`)) rmdirSync(entry)
    else rmSync(entry, {recursive: true, force: true})
  } catch {}
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
