import {mkdir, readFile} from 'node:fs/promises'
import path from 'node:path'

import {unifiedDiff} from '../changes/diff.js'
import type {ChangeJournal} from '../changes/journal.js'
import type {PermissionDecision} from '../permissions/decision.js'
import type {PermissionPolicy} from '../permissions/index.js'
import {sandboxConfigSchema, type NetworkAccess} from '../sandbox/config.js'
import {withNetwork, type CommandGrant} from '../sandbox/grants.js'
import {Sandbox, type CommandRun, type CommandRunOptions} from '../sandbox/sandbox.js'
import {atomicWrite} from '../tools/atomic-write.js'
import type {Confirmer} from './confirm.js'

/**
 * Why a read, write or command did not happen. denied: the policy (or the person asked) said no;
 * needs_approval: it needed a confirmation nobody could give (no terminal, no --yes).
 */
export interface Refusal {
  kind: 'denied' | 'needs_approval'
  reason: string
}

export type Access = {ok: true; abs: string; rel: string} | ({ok: false} & Refusal)
export type Outcome = {ok: true} | ({ok: false} & Refusal)

/** A line the policy (and the user, if asked) approved, with what the sandbox grants it. Run it as often as needed. */
export interface ApprovedCommand {
  line: string
  grant: CommandGrant
  sandboxed: boolean
  run(options: CommandRunOptions): Promise<CommandRun>
}

export type CommandApproval = {ok: true; command: ApprovedCommand} | ({ok: false} & Refusal)

export interface CommandRequest {
  /** The network the user asked for up front (`faithh run --network`): a visible grant. */
  network?: NetworkAccess
  /** Where that request came from, for reports. */
  source?: string
}

export interface StagedChange {
  rel: string
  abs: string
  before?: Buffer
  after: Buffer
}

export interface ProjectAccessOptions {
  policy: PermissionPolicy
  confirmer: Confirmer
  journal: ChangeJournal
  /**
   * direct: each write is confirmed (diff) and written at once.
   * staged: writes are kept in memory, reads see them, and the caller reviews and applies them all
   * at the end (`faithh edit`, `--dry-run`). The policy still refuses what it denies.
   */
  mode?: 'direct' | 'staged'
  /** Where commands run; default: the sandbox with the default config. */
  sandbox?: Sandbox
  /** Tells the user something once (the sandbox is missing); the CLI writes it to stderr. */
  notify?: (message: string) => void
}

/**
 * The one path by which tools read, write and run anything: the permission policy decides, the user
 * confirms what it asks about, and writes are journaled for `faithh undo` and written atomically.
 */
export class ProjectAccess {
  readonly mode: 'direct' | 'staged'
  private readonly staged = new Map<string, StagedChange>()
  private readonly rememberedTools = new Set<string>()
  private readonly rememberedCommands = new Map<string, NetworkAccess | undefined>()
  private readonly rememberedCalls = new Set<string>()
  /** Every refusal of this run, in order: runTool labels a failed tool call with the one it caused. */
  readonly refusals: Refusal[] = []
  readonly sandbox: Sandbox
  /** Root-relative paths written in this run, in order, without repeats. */
  readonly written: string[] = []

  constructor(
    readonly root: string,
    private readonly options: ProjectAccessOptions,
  ) {
    this.mode = options.mode ?? 'direct'
    this.sandbox = options.sandbox ?? new Sandbox({root, config: sandboxConfigSchema.parse({})})
  }

  get policy(): PermissionPolicy {
    return this.options.policy
  }

  /** May a tool see this root-relative path at all (walkers skip forbidden files and faithh's own state)? */
  isVisible(rel: string): boolean {
    return !this.options.policy.isForbidden(rel) && !isInternalState(rel)
  }

  async resolveRead(userPath: string, tool: string): Promise<Access> {
    const decision = await this.options.policy.checkRead(userPath)
    if (decision.verdict === 'deny' || !decision.abs) return this.refuse('denied', decision.reason)
    if (decision.verdict === 'ask') {
      const answer = await this.options.confirmer.confirm({kind: 'read', tool, path: userPath, reason: decision.reason})
      if (!answer.approved) return this.declined(answer, decision.reason)
    }

    return {ok: true, abs: decision.abs, rel: decision.rel ?? userPath}
  }

  /** Resolves a write target; the write itself is confirmed later, when the diff is known. */
  async resolveWrite(userPath: string): Promise<Access> {
    const decision = await this.options.policy.checkWrite(userPath)
    if (decision.verdict === 'deny' || !decision.abs) return this.refuse('denied', decision.reason)
    return {ok: true, abs: decision.abs, rel: decision.rel ?? userPath}
  }

  /** Current content as tools should see it: staged content first, then the disk. */
  async readBytes(abs: string): Promise<Buffer | undefined> {
    const change = this.staged.get(abs)
    if (change) return change.after
    try {
      return await readFile(abs)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  }

  isStaged(abs: string): boolean {
    return this.staged.has(abs)
  }

  async write(target: {abs: string; rel: string}, data: string | Buffer, tool: string): Promise<Outcome> {
    const after = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    const decision = await this.options.policy.checkWrite(target.rel)
    if (decision.verdict === 'deny') return this.refuse('denied', decision.reason)

    if (this.mode === 'staged') {
      const previous = this.staged.get(target.abs)
      const before = previous ? previous.before : await this.readBytes(target.abs)
      this.staged.set(target.abs, {rel: target.rel, abs: target.abs, before, after})
      return {ok: true}
    }

    if (decision.verdict === 'ask' && !this.rememberedTools.has(tool)) {
      const before = await this.readBytes(target.abs)
      const diff = await unifiedDiff(target.rel, before?.toString('utf8'), after.toString('utf8'))
      const answer = await this.options.confirmer.confirm({kind: 'write', tool, rel: target.rel, diff, created: before === undefined})
      if (!answer.approved) return this.declined(answer, `writing ${target.rel}`)
      if (answer.remember) this.rememberedTools.add(tool)
    }

    await this.commit(target.abs, target.rel, after)
    return {ok: true}
  }

  /**
   * The policy decides whether the line runs; the sandbox, what it can do when it does. Where no
   * sandbox works, a line that is not read-only always asks — and without someone to ask (no
   * terminal, or --yes), it is refused unless the sandbox was turned off on purpose.
   */
  async approveCommand(command: string, tool: string, request: CommandRequest = {}): Promise<CommandApproval> {
    const decision = await this.options.policy.checkCommand(command, {cwd: this.root})
    if (decision.verdict === 'deny') return this.refuse('denied', decision.reason)
    const sandbox = await this.sandbox.report()
    let grant = withNetwork(this.sandbox.grantFor(decision.commands), request.network, request.source ?? 'requested')
    let {verdict, reason} = decision
    if (!sandbox.enabled) {
      const notice = await this.sandbox.noticeOnce()
      if (notice) this.options.notify?.(notice)
      if (!(await this.options.policy.isReadOnlyCommand(command))) {
        if (sandbox.mode === 'auto' && !this.options.confirmer.interactive) {
          return this.refuse(
            'needs_approval',
            `running \`${command}\` without a sandbox (${sandbox.reason}) needs a person to confirm it, and there is nobody to ask — ` +
              'make the sandbox work (see `faithh doctor`), or set "sandbox": "off" in .faithh/config.json and pass --yes to run commands unsandboxed',
          )
        }

        verdict = 'ask'
        reason = `it would run unsandboxed, with all your rights (${sandbox.reason})`
      }
    }

    const remembered = this.rememberedCommands.get(command)
    if (verdict !== 'allow' && !this.rememberedCommands.has(command)) {
      const shown = {
        sandboxed: sandbox.enabled,
        network: grant.network,
        summary: sandbox.enabled ? this.sandbox.describe(grant) : `not sandboxed: ${sandbox.reason}`,
      }
      const answer = await this.options.confirmer.confirm({kind: 'command', tool, command, cwd: this.root, reason, sandbox: shown})
      if (!answer.approved) return this.declined(answer, `running \`${command}\``)
      grant = withNetwork(grant, answer.network, 'confirmed at the prompt')
      if (answer.remember) this.rememberedCommands.set(command, answer.network)
    } else {
      grant = withNetwork(grant, remembered, 'confirmed at the prompt')
    }

    return {ok: true, command: this.approved(command, grant, sandbox.enabled)}
  }

  /** Approves the line, then runs exactly it (sandboxed): what run_command and plugin tools use. */
  async runCommand(command: string, options: CommandRunOptions & {tool: string}): Promise<{ok: true; run: CommandRun} | ({ok: false} & Refusal)> {
    const approval = await this.approveCommand(command, options.tool)
    if (!approval.ok) return approval
    return {ok: true, run: await approval.command.run(options)}
  }

  private approved(line: string, grant: CommandGrant, sandboxed: boolean): ApprovedCommand {
    return {line, grant, sandboxed, run: (options) => this.sandbox.run(line, grant, options)}
  }

  /**
   * A call to an MCP server's tool. The server's config decides (core/mcp/tool-permission.ts); an
   * "ask" shows the call's arguments. Not staged, even in staged mode: what a server does cannot be
   * held back for review, so it is asked about before it happens.
   */
  async approveToolCall(call: {tool: string; server: string; arguments: Record<string, unknown>; decision: PermissionDecision}): Promise<Outcome> {
    const {tool, server, decision} = call
    if (decision.verdict === 'deny') return this.refuse('denied', decision.reason)
    if (decision.verdict === 'allow' || this.rememberedCalls.has(tool)) return {ok: true}
    const answer = await this.options.confirmer.confirm({kind: 'tool', tool, server, arguments: call.arguments, reason: decision.reason})
    if (!answer.approved) return this.declined(answer, `calling ${tool}`)
    if (answer.remember) this.rememberedCalls.add(tool)
    return {ok: true}
  }

  /** Staged changes, in the order first written, without no-op writes. */
  stagedChanges(): StagedChange[] {
    return [...this.staged.values()].filter((change) => !change.before?.equals(change.after))
  }

  /** Writes every staged change (journaled, atomic) and clears the stage. */
  async applyStaged(): Promise<string[]> {
    const changes = this.stagedChanges()
    for (const change of changes) await this.commit(change.abs, change.rel, change.after)
    this.staged.clear()
    return changes.map((change) => change.rel)
  }

  private refuse(kind: Refusal['kind'], reason: string): {ok: false} & Refusal {
    const refusal = {kind, reason}
    this.refusals.push(refusal)
    return {ok: false, ...refusal}
  }

  /** A confirmer that cannot ask (no terminal) refuses with a reason: that is "needs approval", not a "no". */
  private declined(answer: {reason?: string}, what: string): {ok: false} & Refusal {
    const unanswerable = !this.options.confirmer.interactive && Boolean(answer.reason)
    return this.refuse(unanswerable ? 'needs_approval' : 'denied', declined(answer.reason, what))
  }

  private async commit(abs: string, rel: string, data: Buffer): Promise<void> {
    await this.options.journal.before(abs, rel)
    await mkdir(path.dirname(abs), {recursive: true})
    await atomicWrite(abs, data)
    await this.options.journal.after(rel, data)
    if (!this.written.includes(rel)) this.written.push(rel)
  }
}

function declined(userReason: string | undefined, what: string): string {
  if (userReason && /no terminal/.test(userReason)) return userReason
  return `the user declined ${what}${userReason ? `: ${userReason}` : ''}. Do not retry the same action; adjust your approach or ask the user.`
}

/** .faithh/ holds config and templates (the user's) and state (undo journal, indexes: faithh's). */
function isInternalState(rel: string): boolean {
  if (!rel.startsWith('.faithh/')) return false
  const [, top] = rel.split('/')
  return top !== 'config.json' && top !== 'templates'
}
