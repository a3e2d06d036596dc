import {mkdirSync, readFileSync, readlinkSync, renameSync, statSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {faithhCacheDir} from '../cache-dir.js'
import type {SandboxSupport} from './support.js'

/**
 * Whether a sandbox works here is found out by starting one (support.ts): two processes, a scratch
 * folder and a trial cgroup, ~20 ms of CPU, on the path of every command that runs the agent. The
 * answer is a fact about the machine, so it is kept (sandbox-support.json in faithh's cache folder)
 * and reused while nothing it depends on has changed: the bwrap binary, the kernel and this boot of
 * it, the user, the namespaces, seccomp and capabilities faithh runs under, the sysctls and AppArmor
 * profiles that allow or forbid user namespaces, the cgroup, and faithh's own install. Past a day
 * it is probed again; `faithh doctor` always probes again.
 *
 * Either way a stale answer fails safe: a sandbox remembered as working that no longer starts makes
 * the command fail, and one remembered as missing makes every command that is not read-only ask.
 */

const MAX_AGE_MS = 24 * 60 * 60 * 1000
const FILE = 'sandbox-support.json'

/** What the answer depends on, as one string, or undefined when it cannot be told (then nothing is kept). */
export function supportFingerprint(platform: NodeJS.Platform, executable: string): string | undefined {
  try {
    const stamp = (file: string) => {
      const stat = statSync(file, {throwIfNoEntry: false})
      return stat ? [stat.dev, stat.ino, stat.size, stat.mtimeMs] : null
    }
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8').trim()
      } catch {
        return null
      }
    }
    const link = (file: string) => {
      try {
        return readlinkSync(file)
      } catch {
        return null
      }
    }

    const common = {
      faithh: stamp(fileURLToPath(import.meta.url)),
      node: [process.execPath, process.version],
      user: [process.getuid?.(), process.getgid?.(), os.homedir(), os.tmpdir()],
      executable: [executable, stamp(executable)],
      kernel: [os.release(), os.version()],
    }
    if (platform !== 'linux') return JSON.stringify(common)
    const status = (read('/proc/self/status') ?? '').split('\n').filter((line) => /^(Seccomp|NoNewPrivs|CapEff|CapBnd):/.test(line))
    return JSON.stringify({
      ...common,
      boot: read('/proc/sys/kernel/random/boot_id'),
      namespaces: [link('/proc/self/ns/user'), link('/proc/self/ns/mnt'), link('/proc/self/ns/pid')],
      status,
      sysctl: [
        read('/proc/sys/kernel/unprivileged_userns_clone'),
        read('/proc/sys/user/max_user_namespaces'),
        read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
      ],
      apparmor: stamp('/etc/apparmor.d'),
      cgroup: read('/proc/self/cgroup'),
    })
  } catch {
    return undefined
  }
}

/** The answer kept for this fingerprint, if it is recent and well-formed. */
export function rememberedSupport(fingerprint: string, env: NodeJS.ProcessEnv, now = Date.now()): SandboxSupport | undefined {
  try {
    const saved = JSON.parse(readFileSync(path.join(faithhCacheDir(env), FILE), 'utf8')) as {fingerprint?: unknown; savedAt?: unknown; support?: unknown}
    if (saved.fingerprint !== fingerprint || typeof saved.savedAt !== 'number' || now - saved.savedAt > MAX_AGE_MS || saved.savedAt > now) return undefined
    return isSupport(saved.support) ? saved.support : undefined
  } catch {
    return undefined
  }
}

/** Keeps the answer; a read-only or full disk only means the next run probes again. */
export function rememberSupport(fingerprint: string, support: SandboxSupport, env: NodeJS.ProcessEnv, now = Date.now()): void {
  try {
    const file = path.join(faithhCacheDir(env), FILE)
    mkdirSync(path.dirname(file), {recursive: true})
    const partial = `${file}.${process.pid}.partial`
    writeFileSync(partial, JSON.stringify({fingerprint, savedAt: now, support}))
    renameSync(partial, file)
  } catch {}
}

function isSupport(value: unknown): value is SandboxSupport {
  const support = value as SandboxSupport | undefined
  return (
    typeof support === 'object' &&
    support !== null &&
    typeof support.disableUserns === 'boolean' &&
    (support.backend === undefined || support.backend === 'bwrap' || support.backend === 'sandbox-exec') &&
    (support.backend === undefined ? typeof support.reason === 'string' : typeof support.executable === 'string') &&
    ['cgroup', 'rlimit', 'none'].includes(support.processLimit?.method)
  )
}
