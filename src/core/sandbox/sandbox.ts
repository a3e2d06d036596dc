import {mkdir, mkdtemp, realpath, rm, stat} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {BRIDGE_MOUNT, bwrapArguments, entryScript} from './bwrap-arguments.js'
import type {NetworkAccess, SandboxConfig} from './config.js'
import {sandboxEnvironment} from './environment.js'
import {compileGrants, describeGrant, type CommandGrant, type GrantRules} from './grants.js'
import {buildLayout, isVisible, type SandboxLayout} from './layout.js'
import {SCRATCH_PREFIX, sweepLeftovers, track, untrack} from './leftovers.js'
import type {LoopbackBridge} from './loopback-bridge.js'
import {createProcessCgroup, type ProcessCgroup} from './process-limit.js'
import type {OutputSink, ProcessRun} from './process-run.js'
import {seatbeltProfile} from './seatbelt-profile.js'
import {sandboxSupport, type SandboxBackend, type SandboxSupport} from './support.js'

/** Whether commands of this run are sandboxed: in the `start` event, `--json` reports and `doctor`. */
export interface SandboxReport {
  enabled: boolean
  backend: SandboxBackend | null
  mode: SandboxConfig['mode']
  /** The default for commands without a grant (`full` when unsandboxed). */
  network: NetworkAccess
  /** Processes one command may run at once, or null when this machine gives no way to cap them. */
  maxProcesses: number | null
  /** Why commands are not sandboxed (enabled: false). */
  reason?: string
}

export interface CommandRun extends ProcessRun {
  sandboxed: boolean
  network: NetworkAccess
  /** The sandbox's process limit stopped a fork (cgroup only: the rlimit leaves no trace). */
  processLimitHit?: boolean
}

export interface CommandRunOptions {
  signal: AbortSignal
  timeoutMs: number
  maxOutputBytes: number
  onOutput?: OutputSink
  /** Set on top of the environment (NO_COLOR for the model's commands …). */
  env?: Record<string, string>
}

/** A program ready to be spawned in the sandbox (see Sandbox.confine). */
export interface ConfinedProgram {
  argv: string[]
  env: Record<string, string>
  /** Call when the program has ended: removes what the sandbox left on the host. Safe to call twice. */
  release(): Promise<{limitHit: boolean}>
}

export interface SandboxOptions {
  root: string
  config: SandboxConfig
  home?: string
  env?: NodeJS.ProcessEnv
}

/**
 * Runs command lines confined to the project: bubblewrap on Linux, sandbox-exec on macOS (see
 * layout.ts for what a command sees). One per workspace; the permission policy still decides
 * whether a line runs at all — this decides what it can do when it does.
 */
export class Sandbox {
  readonly root: string
  readonly config: SandboxConfig
  private readonly home: string
  private readonly env: NodeJS.ProcessEnv
  private readonly grants: GrantRules
  private noticeGiven = false

  constructor(options: SandboxOptions) {
    this.root = options.root
    this.config = options.config
    this.home = options.home ?? os.homedir()
    this.env = options.env ?? process.env
    this.grants = compileGrants(options.config)
  }

  /** The same sandbox for another project (doctor checks it on a scratch one). */
  forRoot(root: string): Sandbox {
    return new Sandbox({root, config: this.config, home: this.home, env: this.env})
  }

  /** `recheck`: probe again rather than trust what an earlier run found (see remembered-support.ts). */
  support(options: {recheck?: boolean} = {}): Promise<SandboxSupport> {
    return sandboxSupport(this.env, options)
  }

  async report(): Promise<SandboxReport> {
    // Unsandboxed, a command reaches whatever this machine can.
    const off = {mode: this.config.mode, network: 'full' as const, enabled: false, backend: null, maxProcesses: null}
    if (this.config.mode === 'off') return {...off, reason: 'the sandbox is off ("sandbox": "off")'}
    const support = await this.support()
    if (!support.backend) return {...off, reason: support.reason}
    const limited = support.processLimit.method !== 'none'
    return {
      mode: this.config.mode,
      network: this.config.network,
      enabled: true,
      backend: support.backend,
      maxProcesses: limited ? this.config.maxProcesses : null,
    }
  }

  /** The report for one command: with the network its grant gives it. */
  async reportFor(grant: CommandGrant): Promise<SandboxReport> {
    const report = await this.report()
    return report.enabled ? {...report, network: grant.network} : report
  }

  /** The first time this run finds commands unsandboxed: what to tell the user, once. */
  async noticeOnce(): Promise<string | undefined> {
    if (this.noticeGiven) return undefined
    const report = await this.report()
    if (report.enabled) return undefined
    this.noticeGiven = true
    return this.config.mode === 'off'
      ? 'sandbox off ("sandbox": "off"): commands run with all your rights; those that are not read-only ask first'
      : `no sandbox: ${report.reason}. Commands that are not read-only ask first (refused without a terminal).`
  }

  /** What the configuration grants a line, given the argv of its commands (from the policy). */
  grantFor(commands: string[][]): CommandGrant {
    return this.grants.grantFor(commands)
  }

  describe(grant: CommandGrant): string {
    return describeGrant(grant)
  }

  /** Runs an approved line: sandboxed where a sandbox works, otherwise as it is (the approval took that into account). */
  async run(line: string, grant: CommandGrant, options: CommandRunOptions): Promise<CommandRun> {
    // node:child_process and node:net with them: a run that starts no program never loads them.
    const {runProcess} = await import('./process-run.js')
    const report = await this.report()
    if (!report.enabled) {
      const env = {...stringEnv(this.env), ...options.env}
      const run = await runProcess(['/bin/bash', '-c', line], {...options, env, cwd: this.root, ownsPidNamespace: false})
      return {...run, sandboxed: false, network: 'full'}
    }

    const env = sandboxEnvironment(this.env, {passThrough: grant.env, extra: options.env})
    const confined = await this.enter(grant, {cwd: this.root, env, pathVariable: this.env.PATH}, (layout, bridge, backend) =>
      backend === 'bwrap' ? commandEntry(layout, line, bridge) : ['/bin/bash', '-c', line],
    )
    try {
      const run = await runProcess(confined.argv, {...options, env: confined.env, cwd: this.root, ownsPidNamespace: confined.backend === 'bwrap'})
      const {limitHit} = await confined.release()
      return {...run, sandboxed: true, network: grant.network, ...(limitHit ? {processLimitHit: true} : {})}
    } finally {
      await confined.release()
    }
  }

  /**
   * A long-running program (an MCP server) in the sandbox, for the caller to spawn and talk to over
   * its stdio: the argv to spawn (bwrap or sandbox-exec around `argv`), its environment, and
   * `release`, to call once it has ended (it removes the private /tmp, the loopback bridge and the
   * process cgroup). Only where a sandbox works: check report() first.
   */
  async confine(argv: string[], grant: CommandGrant, {cwd, env}: {cwd: string; env: Record<string, string>}): Promise<ConfinedProgram> {
    const report = await this.report()
    if (!report.enabled) throw new Error(`no sandbox: ${report.reason}`)
    return this.enter(grant, {cwd, env, pathVariable: env.PATH}, (layout, bridge) => programEntry(layout, argv, bridge))
  }

  /** Which of these host paths a program with this grant would not see (a server's program, its arguments, its cwd). */
  async unseen(paths: string[], grant: CommandGrant, pathVariable?: string): Promise<string[]> {
    const layout = buildLayout({...this.layoutRequest(grant, '/tmp', pathVariable), cwd: this.root})
    return paths.filter((entry) => !isVisible(layout, entry))
  }

  private layoutRequest(grant: CommandGrant, tmp: string, pathVariable: string | undefined) {
    return {root: this.root, home: this.home, tmp, network: grant.network, read: grant.read, write: grant.write, pathVariable, execPath: process.execPath}
  }

  /**
   * What every sandboxed process shares: a private /tmp in a scratch folder, the loopback bridge
   * when the grant asks for it, the process limit, and the layout; `inner` says what runs inside.
   */
  private async enter(
    grant: CommandGrant,
    {cwd, env, pathVariable}: {cwd: string; env: Record<string, string>; pathVariable?: string},
    inner: (layout: SandboxLayout, bridge: LoopbackBridge | undefined, backend: SandboxBackend) => string[],
  ): Promise<ConfinedProgram & {backend: SandboxBackend}> {
    const support = await this.support()
    sweepLeftovers(support.processLimit.cgroupParent)
    const scratch = await realpath(await mkdtemp(path.join(os.tmpdir(), SCRATCH_PREFIX)))
    track(scratch)
    let bridge: LoopbackBridge | undefined
    let cgroup: ProcessCgroup | undefined
    let released: Promise<{limitHit: boolean}> | undefined
    const release = () =>
      (released ??= (async () => {
        const limitHit = cgroup ? (await cgroup.release()).limitHit : false
        await bridge?.close()
        // Best effort: a program may leave folders it made unreadable; the sandbox stays a sandbox either way.
        await rm(scratch, {recursive: true, force: true}).catch(() => {})
        untrack(scratch)
        return {limitHit}
      })())
    try {
      const tmp = path.join(scratch, 'tmp')
      await mkdir(tmp)
      await this.ensureProtectedFolders()
      const bridgeDir = grant.network === 'loopback' && support.backend === 'bwrap' ? path.join(scratch, 'bridge') : undefined
      if (bridgeDir) {
        await mkdir(bridgeDir)
        const {openLoopbackBridge} = await import('./loopback-bridge.js')
        bridge = await openLoopbackBridge(bridgeDir)
      }

      const limit = support.processLimit.method
      const layout = buildLayout({
        ...this.layoutRequest(grant, tmp, pathVariable),
        cwd,
        maxProcesses: limit === 'rlimit' ? this.config.maxProcesses : undefined,
        bridgeDir,
      })
      const confinedEnv = {...env, TMPDIR: support.backend === 'bwrap' ? '/tmp' : tmp}
      if (support.backend === 'sandbox-exec') {
        return {
          backend: 'sandbox-exec',
          argv: [support.executable!, '-p', seatbeltProfile(layout), ...inner(layout, undefined, 'sandbox-exec')],
          env: confinedEnv,
          release,
        }
      }

      if (limit === 'cgroup') cgroup = await createProcessCgroup(support.processLimit.cgroupParent!, this.config.maxProcesses)
      const argv = [support.executable!, ...bwrapArguments(layout, {disableUserns: support.disableUserns}), '--', ...inner(layout, bridge, 'bwrap')]
      return {backend: 'bwrap', argv: cgroup ? joinCgroup(cgroup, argv) : argv, env: confinedEnv, release}
    } catch (error) {
      await release()
      throw error
    }
  }

  /** So that a command cannot create them: a git repository without hooks yet, a project without .faithh/ yet. */
  private async ensureProtectedFolders(): Promise<void> {
    await mkdir(path.join(this.root, '.faithh'), {recursive: true})
    const gitDir = path.join(this.root, '.git')
    const isDir = await stat(gitDir).then(
      (entry) => entry.isDirectory(),
      () => false,
    )
    if (isDir) await mkdir(path.join(gitDir, 'hooks'), {recursive: true})
  }
}

/** A command line under the entry script: the process limit, the line, and a report of background processes left (fd 3). */
function commandEntry(layout: SandboxLayout, line: string, bridge?: LoopbackBridge): string[] {
  const entry = ['/bin/bash', '-c', entryScript(layout.maxProcesses), 'faithh-sandbox', line]
  return bridge ? [...forwarderOf(bridge), ...entry, '3'] : [...entry, '2']
}

/** A program as it is (no shell line to judge), under the process limit when that is an rlimit. */
function programEntry(layout: SandboxLayout, argv: string[], bridge?: LoopbackBridge): string[] {
  const limited = layout.maxProcesses ? ['/bin/sh', '-c', `ulimit -u ${layout.maxProcesses} 2>/dev/null; exec "$@"`, 'faithh-sandbox', ...argv] : argv
  return bridge ? [...forwarderOf(bridge), ...limited] : limited
}

function forwarderOf(bridge: LoopbackBridge): string[] {
  return [process.execPath, path.posix.join(BRIDGE_MOUNT, path.basename(bridge.forwarder)), BRIDGE_MOUNT, ...bridge.ports.map(String), '--']
}

/** A shell that puts itself into the cgroup, then becomes bwrap: nothing of the sandbox ever runs outside the limit. */
function joinCgroup(cgroup: ProcessCgroup, argv: string[]): string[] {
  return ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', cgroup.procsFile, ...argv]
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined))
}
