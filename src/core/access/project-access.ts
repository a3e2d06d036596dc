import {mkdir, readFile} from 'node:fs/promises'
import path from 'node:path'

import {unifiedDiff} from '../changes/diff.js'
import type {ChangeJournal} from '../changes/journal.js'
import type {PermissionDecision} from '../permissions/decision.js'
import type {PermissionPolicy} from '../permissions/index.js'
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
}

/**
 * The one path by which tools read, write and run anything: the permission policy decides, the user
 * confirms what it asks about, and writes are journaled for `faithh undo` and written atomically.
 */
export class ProjectAccess {
  readonly mode: 'direct' | 'staged'
  private readonly staged = new Map<string, StagedChange>()
  private readonly rememberedTools = new Set<string>()
  private readonly rememberedCommands = new Set<string>()
  private readonly rememberedCalls = new Set<string>()
  /** Every refusal of this run, in order: runTool labels a failed tool call with the one it caused. */
  readonly refusals: Refusal[] = []
  /** Root-relative paths written in this run, in order, without repeats. */
  readonly written: string[] = []

  constructor(
    readonly root: string,
    private readonly options: ProjectAccessOptions,
  ) {
    this.mode = options.mode ?? 'direct'
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
      const diff = unifiedDiff(target.rel, before?.toString('utf8'), after.toString('utf8'))
      const answer = await this.options.confirmer.confirm({kind: 'write', tool, rel: target.rel, diff, created: before === undefined})
      if (!answer.approved) return this.declined(answer, `writing ${target.rel}`)
      if (answer.remember) this.rememberedTools.add(tool)
    }

    await this.commit(target.abs, target.rel, after)
    return {ok: true}
  }

  async approveCommand(command: string, tool: string): Promise<Outcome> {
    const decision = await this.options.policy.checkCommand(command, {cwd: this.root})
    if (decision.verdict === 'deny') return this.refuse('denied', decision.reason)
    if (decision.verdict === 'allow' || this.rememberedCommands.has(command)) return {ok: true}
    const answer = await this.options.confirmer.confirm({kind: 'command', tool, command, cwd: this.root, reason: decision.reason})
    if (!answer.approved) return this.declined(answer, `running \`${command}\``)
    if (answer.remember) this.rememberedCommands.add(command)
    return {ok: true}
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
    return [...this.staged.values()].filter((change) => !change.before || !change.before.equals(change.after))
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
