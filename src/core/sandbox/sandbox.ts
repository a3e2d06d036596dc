import {mkdir, mkdtemp, realpath, rm, stat} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {BRIDGE_MOUNT, bwrapArguments, entryScript} from './bwrap-arguments.js'
import type {NetworkAccess, SandboxConfig} from './config.js'
import {sandboxEnvironment} from './environment.js'
import {compileGrants, describeGrant, type CommandGrant, type GrantRules} from './grants.js'
import {buildLayout, type SandboxLayout} from './layout.js'
import {SCRATCH_PREFIX, sweepLeftovers, track, untrack} from './leftovers.js'
import {openLoopbackBridge, type LoopbackBridge} from './loopback-bridge.js'
import {createProcessCgroup, type ProcessCgroup} from './process-limit.js'
import {runProcess, type OutputSink, type ProcessRun} from './process-run.js'
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

  support(): Promise<SandboxSupport> {
    return sandboxSupport(this.env)
  }

  async report(): Promise<SandboxReport> {
    // Unsandboxed, a command reaches whatever this machine can.
    const off = {mode: this.config.mode, network: 'full' as const, enabled: false, backend: null, maxProcesses: null}
    if (this.config.mode === 'off') return {...off, reason: 'the sandbox is off ("sandbox": "off")'}
    const support = await this.support()
    if (!support.backend) return {...off, reason: support.reason}
    const limited = support.processLimit.method !== 'none'
    return {mode: this.config.mode, network: this.config.network, enabled: true, backend: support.backend, maxProcesses: limited ? this.config.maxProcesses : null}
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
    const report = await this.report()
    const support = await this.support()
    if (!report.enabled || !support.backend) {
      const env = {...stringEnv(this.env), ...options.env}
      const run = await runProcess(['/bin/bash', '-c', line], {...options, env, cwd: this.root, ownsPidNamespace: false})
      return {...run, sandboxed: false, network: 'full'}
    }

    sweepLeftovers(support.processLimit.cgroupParent)
    const scratch = await realpath(await mkdtemp(path.join(os.tmpdir(), SCRATCH_PREFIX)))
    track(scratch)
    let bridge: LoopbackBridge | undefined
    let cgroup: ProcessCgroup | undefined
    try {
      const tmp = path.join(scratch, 'tmp')
      await mkdir(tmp)
      await this.ensureProtectedFolders()
      const bridgeDir = grant.network === 'loopback' && support.backend === 'bwrap' ? path.join(scratch, 'bridge') : undefined
      if (bridgeDir) {
        await mkdir(bridgeDir)
        bridge = await openLoopbackBridge(bridgeDir)
      }

      const limit = support.processLimit.method
      const layout = buildLayout({
        root: this.root,
        home: this.home,
        tmp,
        network: grant.network,
        read: grant.read,
        write: grant.write,
        pathVariable: this.env.PATH,
        execPath: process.execPath,
        maxProcesses: limit === 'rlimit' ? this.config.maxProcesses : undefined,
        bridgeDir,
      })
      const env = sandboxEnvironment(this.env, {passThrough: grant.env, extra: {...options.env, TMPDIR: support.backend === 'bwrap' ? '/tmp' : tmp}})
      if (support.backend === 'sandbox-exec') {
        const argv = [support.executable!, '-p', seatbeltProfile(layout), '/bin/bash', '-c', line]
        const run = await runProcess(argv, {...options, env, cwd: this.root, ownsPidNamespace: false})
        return {...run, sandboxed: true, network: grant.network}
      }

      if (limit === 'cgroup') cgroup = await createProcessCgroup(support.processLimit.cgroupParent!, this.config.maxProcesses)
      const argv = bwrapCommand(support, layout, line, bridge)
      const run = await runProcess(cgroup ? joinCgroup(cgroup, argv) : argv, {...options, env, cwd: this.root, ownsPidNamespace: true})
      const limitHit = cgroup ? (await cgroup.release()).limitHit : undefined
      cgroup = undefined
      return {...run, sandboxed: true, network: grant.network, ...(limitHit ? {processLimitHit: true} : {})}
    } finally {
      await cgroup?.release()
      await bridge?.close()
      // Best effort: a command may leave folders it made unreadable; the sandbox stays a sandbox either way.
      await rm(scratch, {recursive: true, force: true}).catch(() => {})
      untrack(scratch)
    }
  }

  /** So that a command cannot create them: a git repository without hooks yet, a project without .faithh/ yet. */
  private async ensureProtectedFolders(): Promise<void> {
    await mkdir(path.join(this.root, '.faithh'), {recursive: true})
    const gitDir = path.join(this.root, '.git')
    const isDir = await stat(gitDir).then((entry) => entry.isDirectory(), () => false)
    if (isDir) await mkdir(path.join(gitDir, 'hooks'), {recursive: true})
  }
}

function bwrapCommand(support: SandboxSupport, layout: SandboxLayout, line: string, bridge?: LoopbackBridge): string[] {
  const sandbox = [support.executable!, ...bwrapArguments(layout, {disableUserns: support.disableUserns}), '--']
  const entry = ['/bin/bash', '-c', entryScript(layout.maxProcesses), 'faithh-sandbox', line]
  if (!bridge) return [...sandbox, ...entry, '2']
  const forwarder = path.posix.join(BRIDGE_MOUNT, path.basename(bridge.forwarder))
  return [...sandbox, process.execPath, forwarder, BRIDGE_MOUNT, ...bridge.ports.map(String), '--', ...entry, '3']
}

/** A shell that puts itself into the cgroup, then becomes bwrap: nothing of the sandbox ever runs outside the limit. */
function joinCgroup(cgroup: ProcessCgroup, argv: string[]): string[] {
  return ['/bin/sh', '-c', 'echo $$ > "$0" && exec "$@"', cgroup.procsFile, ...argv]
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined))
}
