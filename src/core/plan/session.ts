import type {Confirmer} from '../access/confirm.js'
import type {ApprovedCommand, ProjectAccess} from '../access/project-access.js'
import type {Workspace} from '../agent/workspace.js'
import {listRuns} from '../changes/journal.js'
import type {ShellResult} from '../tasks/shell.js'
import {projectContextSource, type TaskContextSource} from './context.js'
import type {PlanEvent} from './events.js'
import {executePlan} from './executor.js'
import {GitRepo} from './git.js'
import {PlanError} from './plan-error.js'
import {makePlan} from './planner.js'
import type {PlanReviewer} from './review.js'
import type {PlanOptions, PlanState} from './schema.js'
import {effectiveStatus, isPlanProcessAlive, PlanStore} from './store.js'

export interface PlanSessionOptions {
  workspace: Workspace
  reviewer: PlanReviewer
  confirmer: Confirmer
  allowDirty: boolean
  signal: AbortSignal
  /** Runs the --verify command line the policy approved (in the sandbox), passing its output on. */
  runVerify: (command: ApprovedCommand, signal: AbortSignal) => Promise<ShellResult>
  /** Where the planner's project context comes from; default: file list plus the codebase index. */
  context?: TaskContextSource
}

/** `faithh plan "<task>"`: check the tree, gather context, plan, review the plan, then carry it out. */
export async function* startPlan(task: string, planOptions: PlanOptions, session: PlanSessionOptions): AsyncGenerator<PlanEvent, PlanState> {
  const {workspace, signal} = session
  const store = new PlanStore(workspace.root)
  const prepared = yield* prepare(planOptions, session, [])

  const access = workspace.openAccess({confirmer: session.confirmer, command: 'plan', mode: 'staged'})
  const instructions = yield* loadInstructions(workspace, access, task)
  const numCtx = await workspace.llm.contextWindow()
  const source = session.context ?? projectContextSource(access, workspace.config)
  const context = await source.gather(task, {budgetTokens: Math.floor(numCtx * workspace.config.rag.contextShare), signal})
  yield {type: 'context', retrieved: context.retrieved, notes: context.notes}

  const steps = yield* makePlan({llm: workspace.llm, task, context: context.text, instructions, signal})
  const state = store.create(task, steps, planOptions)
  await store.save(state)
  return yield* reviewAndExecute(state, store, prepared, session, instructions)
}

/** `faithh plan --resume [id]`: the plan's own options, unless flags override them; continues where its state says. */
export async function* resumePlan(state: PlanState, overrides: Partial<PlanOptions>, session: PlanSessionOptions): AsyncGenerator<PlanEvent, PlanState> {
  const store = new PlanStore(session.workspace.root)
  if (isPlanProcessAlive(state)) throw new PlanError('busy', `plan ${state.id} is being run by process ${state.pid}; wait for it, or stop it first`)
  if (state.steps.every((step) => step.status === 'done' || step.status === 'skipped')) {
    throw new PlanError('not_found', `plan ${state.id} is already done`, {hint: 'nothing to resume'})
  }

  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) Object.assign(state.options, {[key]: value})
  // The plan's own uncommitted changes, including a step applied part-way before a crash, are not "someone else's work".
  const own = new Set(state.steps.flatMap((step) => (step.appliedAt ? step.changed : [])))
  for (const run of await listRuns(session.workspace.root)) if (run.plan?.id === state.id) for (const entry of run.entries) own.add(entry.rel)
  const prepared = yield* prepare(state.options, session, [...own])
  const access = session.workspace.openAccess({confirmer: session.confirmer, command: 'plan', mode: 'staged'})
  const instructions = yield* loadInstructions(session.workspace, access, state.task)
  return yield* reviewAndExecute(state, store, prepared, session, instructions)
}

/** The project's AGENTS.md for the planner and every step, read once: the root's, the current folder's, and those of paths the task names. */
async function* loadInstructions(workspace: Workspace, access: ProjectAccess, task: string): AsyncGenerator<PlanEvent, string> {
  const {text, report} = await workspace.loadInstructions(access, {text: task})
  if (report.files.length + report.omitted.length + report.skipped.length > 0) yield {type: 'instructions', report}
  return text
}

/** The plan to resume: the given id, or the newest plan that was stopped part-way. */
export async function findPlanToResume(root: string, id?: string): Promise<PlanState> {
  const store = new PlanStore(root)
  if (id) return store.load(id)
  const {plans} = await store.list()
  const plan = plans.find((p) => ['reviewing', 'interrupted', 'failed'].includes(effectiveStatus(p)))
  if (!plan) throw new PlanError('not_found', 'no interrupted or failed plan to resume', {hint: 'see `faithh plan --list`, or resume one by id'})
  return plan
}

async function* reviewAndExecute(
  state: PlanState,
  store: PlanStore,
  {git, verify}: Prepared,
  session: PlanSessionOptions,
  instructions: string,
): AsyncGenerator<PlanEvent, PlanState> {
  yield {type: 'plan', id: state.id, steps: state.steps, file: store.relFileOf(state.id)}
  if (state.status === 'reviewing') {
    const decision = await session.reviewer.reviewPlan(state.steps.map(({title, change, files}) => ({title, change, files})))
    if (decision.action !== 'approve') {
      state.status = decision.action === 'abort' ? 'aborted' : 'interrupted'
      await store.save(state)
      yield {type: 'plan_status', id: state.id, status: state.status}
      return state
    }

    state.steps = decision.steps.map((step) => ({...step, status: 'pending', changed: [], redos: 0, fixAttempts: 0}))
  }

  return yield* executePlan(state, {
    workspace: session.workspace,
    store,
    reviewer: session.reviewer,
    confirmer: session.confirmer,
    git,
    signal: session.signal,
    runVerify: async (command) => {
      if (!verify || verify.line !== command) throw new PlanError('refused', `--verify \`${command}\` was not approved`)
      return session.runVerify(verify, session.signal)
    },
    instructions,
  })
}

interface Prepared {
  git?: GitRepo
  /** --verify, approved by the policy once, at the start. */
  verify?: ApprovedCommand
}

/** Refuses a dirty tree, has the policy approve --verify, and notes a --commit that cannot be honoured. */
async function* prepare(options: PlanOptions, session: PlanSessionOptions, ownFiles: string[]): AsyncGenerator<PlanEvent, Prepared> {
  const {workspace} = session
  const git = await GitRepo.open(workspace.root)
  if (git && !session.allowDirty) {
    const dirty = await git.uncommitted(ownFiles)
    if (dirty.length > 0) {
      const shown = dirty.slice(0, 5).join(', ') + (dirty.length > 5 ? ` and ${dirty.length - 5} more` : '')
      throw new PlanError('dirty', `uncommitted changes in ${shown}`, {
        hint: "commit or stash them first (so each step's diff is only the plan's), or rerun with --allow-dirty",
      })
    }
  }

  if (options.commit && !git) yield {type: 'note', message: 'not a git repository: steps are applied without commits (--commit ignored)'}
  if (options.verify) {
    const access = workspace.openAccess({confirmer: session.confirmer, command: 'plan', mode: 'staged'})
    const approval = await access.approveCommand(options.verify, 'verify')
    if (!approval.ok) throw new PlanError('refused', `--verify \`${options.verify}\` not allowed: ${approval.reason}`)
    return {git, verify: approval.command}
  }

  return {git}
}
