import {mkdtempSync, realpathSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {bwrapArguments} from './bwrap-arguments.js'
import {findProgram} from './find-program.js'
import {buildLayout} from './layout.js'
import {probeProcessLimit, type ProcessLimitSupport} from './process-limit.js'
import {rememberedSupport, rememberSupport, supportFingerprint} from './remembered-support.js'

export type SandboxBackend = 'bwrap' | 'sandbox-exec'

const SANDBOX_EXEC = '/usr/bin/sandbox-exec'

/** Whether a sandbox works on this machine, found out by starting one. */
export interface SandboxSupport {
  /** Undefined: no sandbox works here (see `reason`). */
  backend?: SandboxBackend
  executable?: string
  version?: string
  reason?: string
  /** bwrap 0.8+ understands --disable-userns. */
  disableUserns: boolean
  processLimit: ProcessLimitSupport
}

/**
 * The bwrap to use: FAITHH_BWRAP names it (a path, or a name looked up on PATH; empty or a missing
 * path makes the sandbox unavailable, which is how tests and users check the fallback), else
 * `bwrap` on PATH, else /usr/bin/bwrap.
 */
function findBwrap(env: NodeJS.ProcessEnv = process.env): {path?: string; reason?: string} {
  const configured = env.FAITHH_BWRAP
  if (configured !== undefined) {
    if (configured.trim() === '') return {reason: 'FAITHH_BWRAP is set and empty'}
    const found = findProgram(configured, process.cwd(), env.PATH)
    return found ? {path: found} : {reason: `FAITHH_BWRAP names ${configured}, which is not an executable`}
  }

  const found = findProgram('bwrap', '/', env.PATH) ?? findProgram('/usr/bin/bwrap', '/', undefined)
  return found
    ? {path: found}
    : {
        reason:
          'bubblewrap (bwrap) is not installed — install it: `apt-get install bubblewrap` (Debian, Ubuntu), `dnf install bubblewrap` (Fedora), `pacman -S bubblewrap` (Arch)',
      }
}

const probes = new Map<string, Promise<SandboxSupport>>()

/**
 * Probed once per process and bwrap path, and remembered across runs while the machine stays the
 * same (remembered-support.ts): starting a sandbox costs ~20 ms. `recheck` probes again whatever
 * was remembered (`faithh doctor`).
 */
export function sandboxSupport(env: NodeJS.ProcessEnv = process.env, {recheck = false}: {recheck?: boolean} = {}): Promise<SandboxSupport> {
  const platform = os.platform()
  const key = platform === 'linux' ? JSON.stringify([env.FAITHH_BWRAP ?? null, env.PATH ?? null]) : platform
  let probe = probes.get(key)
  if (!probe || recheck) {
    probe = rememberedOrProbed(platform, env, recheck).catch((error: Error) => ({
      reason: `the sandbox could not be checked: ${error.message}`,
      disableUserns: false,
      processLimit: {method: 'none' as const, reason: 'no sandbox'},
    }))
    probes.set(key, probe)
  }

  return probe
}

/** A probe that failed to run (the catch above) is not kept: only answers the probe reached. */
async function rememberedOrProbed(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, recheck: boolean): Promise<SandboxSupport> {
  // Looked for once: the fingerprint and the probe both need it.
  const bwrap = platform === 'linux' ? findBwrap(env) : undefined
  const executable = platform === 'darwin' ? SANDBOX_EXEC : bwrap?.path
  // Nothing to start (no bwrap, another platform): the probe answers at once, nothing to keep.
  const fingerprint = executable && supportFingerprint(platform, executable)
  if (!fingerprint) return probeSupport(platform, bwrap)
  const remembered = recheck ? undefined : rememberedSupport(fingerprint, env)
  if (remembered) return remembered
  const support = await probeSupport(platform, bwrap)
  rememberSupport(fingerprint, support, env)
  return support
}

/** `bwrap`: where findBwrap found it on Linux (or why not); unused elsewhere. */
async function probeSupport(platform: NodeJS.Platform, bwrap: {path?: string; reason?: string} | undefined): Promise<SandboxSupport> {
  const none = (reason: string): SandboxSupport => ({reason, disableUserns: false, processLimit: {method: 'none', reason: 'no sandbox'}})
  if (platform === 'darwin') {
    const sandboxExec = findProgram(SANDBOX_EXEC, '/', undefined)
    if (!sandboxExec) return none('/usr/bin/sandbox-exec is missing')
    const ran = await run(sandboxExec, ['-p', '(version 1)(allow default)', '/usr/bin/true'])
    if (!ran.ok) return none(`sandbox-exec does not work here: ${ran.output || 'it failed'}`)
    return {
      backend: 'sandbox-exec',
      executable: sandboxExec,
      disableUserns: false,
      processLimit: {method: 'none', reason: 'macOS has no per-sandbox process limit'},
    }
  }

  if (platform !== 'linux' || !bwrap) return none(`no sandbox on ${platform} (faithh sandboxes with bubblewrap on Linux and sandbox-exec on macOS)`)
  if (!bwrap.path) return none(bwrap.reason!)
  const [version, processLimit] = await Promise.all([run(bwrap.path, ['--version']), probeProcessLimit()])
  const [major = 0, minor = 0] = (/(\d+)\.(\d+)/.exec(version.output) ?? []).slice(1).map(Number)
  // --disable-userns came with bubblewrap 0.8.0.
  let disableUserns = major > 0 || minor >= 8

  // The real thing, on a throwaway project: user namespaces may be off (sysctl, AppArmor, a container).
  const scratch = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'faithh-sandbox-probe-')))
  try {
    const layout = buildLayout({root: scratch, home: os.homedir(), tmp: scratch, network: 'none', read: [], write: [], execPath: process.execPath})
    const attempt = (withDisable: boolean) => run(bwrap.path!, [...bwrapArguments(layout, {disableUserns: withDisable}), '--', '/bin/true'])
    let ran = await attempt(disableUserns)
    // Some kernels cannot stop user namespaces inside one: a sandbox without that is still one.
    if (!ran.ok && disableUserns && (await attempt(false)).ok) {
      disableUserns = false
      ran = {ok: true, output: ''}
    }

    if (!ran.ok) return none(`bubblewrap (${bwrap.path}) cannot create a sandbox here: ${ran.output || 'it failed'}${hint(ran.output)}`)
  } finally {
    rmSync(scratch, {recursive: true, force: true})
  }

  return {backend: 'bwrap', executable: bwrap.path, version: version.output.replace(/^bubblewrap\s*/, '') || undefined, disableUserns, processLimit}
}

function hint(output: string): string {
  if (/uid map|user namespace|Operation not permitted|Permission denied/i.test(output)) {
    return ' (unprivileged user namespaces are disabled: see `sysctl kernel.unprivileged_userns_clone` and, on Ubuntu 24.04+, `kernel.apparmor_restrict_unprivileged_userns`)'
  }

  return ''
}

async function run(file: string, args: string[]): Promise<{ok: boolean; output: string}> {
  // Imported here: a run that finds the answer remembered starts no process and never loads it.
  const {execFile} = await import('node:child_process')
  return new Promise((resolve) => {
    execFile(file, args, {timeout: 10_000, encoding: 'utf8'}, (error, stdout, stderr) => {
      resolve({ok: !error, output: `${stdout}${stderr}`.trim().split('\n').slice(0, 3).join(' ')})
    })
  })
}
