import type {Confirmer} from '../access/confirm.js'
import type {ProjectAccess} from '../access/project-access.js'
import type {AgentOutcome} from '../agent/events.js'
import {runAgent} from '../agent/loop.js'
import {systemPrompt} from '../agent/prompt.js'
import type {Workspace} from '../agent/workspace.js'
import {listRuns} from '../changes/journal.js'
import {undoRun} from '../changes/undo.js'
import type {ChatMessage} from '../llm/client.js'
import {stagedDiff} from '../tasks/edit-task.js'
import type {ShellResult} from '../tasks/shell.js'
import {editFileTool} from '../tools/edit-file.js'
import {listDirectoryTool} from '../tools/list-directory.js'
import {readFileTool} from '../tools/read-file.js'
import {searchCodeTool} from '../tools/search-code.js'
import {capOutput} from '../tools/tool.js'
import {writeFileTool} from '../tools/write-file.js'
import type {PlanEvent} from './events.js'
import {planTrailer, type GitRepo} from './git.js'
import type {PlanReviewer} from './review.js'
import type {PlanState, StepState} from './schema.js'
import {fixMessage, redoMessage, STEP_TASK, stepMessage} from './step-prompt.js'
import type {PlanStore} from './store.js'

// No run_command: writes are staged in memory until reviewed, so a command would run against files
// the model has not really changed yet. The check the user cares about is --verify, run by us.
// Plugin tools are offered as `faithh edit` offers them; their writes are staged like ours.
const STEP_TOOLS = [readFileTool, searchCodeTool, listDirectoryTool, editFileTool, writeFileTool]

export interface ExecutorOptions {
  workspace: Workspace
  store: PlanStore
  reviewer: PlanReviewer
  /** For what tools ask about on their own (a read outside the project). */
  confirmer: Confirmer
  /** Set in a git repository: with the plan's `commit` option, each finished step is committed. */
  git?: GitRepo
  signal: AbortSignal
  /** Runs the --verify command, which the policy has already approved. */
  runVerify: (command: string) => Promise<ShellResult>
  /** The project's instruction block (AGENTS.md) for every step's system prompt, read once for the whole run. */
  instructions?: string
}

/** How a step ended, for the plan: go on, or stop with that plan status. */
type StepEnd = 'next' | 'failed' | 'aborted' | 'interrupted'

interface AppliedStep {
  access: ProjectAccess
  messages: ChatMessage[]
}

/**
 * Carries out an approved plan from wherever its state says it is: each step runs the agent with
 * writes staged, its whole diff is reviewed, applied (journaled per step, tagged with the plan),
 * verified and fixed, and committed. The state file is saved after every transition; the first step
 * that fails, is aborted or is interrupted stops the plan, and `--resume` continues there.
 */
export async function* executePlan(state: PlanState, options: ExecutorOptions): AsyncGenerator<PlanEvent, PlanState> {
  const save = () => options.store.save(state)
  state.status = 'running'
  state.pid = process.pid
  state.error = undefined
  await save()
  yield {type: 'plan_status', id: state.id, status: state.status}

  let end: StepEnd = 'next'
  try {
    for (let index = 0; index < state.steps.length && end === 'next'; index++) {
      const step = state.steps[index]!
      if (step.status === 'done' || step.status === 'skipped') continue
      if (step.appliedAt && (step.status === 'applied' || step.status === 'failed')) {
        // Resumed with this step's changes already on disk: check, fix and commit them.
        end = yield* finishStep(state, index, options)
        continue
      }

      // Killed while applying: put back what the partial apply wrote, then do the step again.
      if (step.status === 'running') await rollBack(state, index, options)
      const ran = yield* runStep(state, index, options)
      end = typeof ran === 'string' ? ran : yield* finishStep(state, index, options, ran)
    }
  } catch (error) {
    state.status = options.signal.aborted ? 'interrupted' : 'failed'
    state.error = (error as Error).message
    await save()
    throw error
  }

  state.status = end === 'next' ? 'done' : end
  await save()
  yield {type: 'plan_status', id: state.id, status: state.status}
  return state
}

/** The agent does the step with writes staged; the user reviews the whole diff. Returns what to verify, or how it ended. */
async function* runStep(state: PlanState, index: number, options: ExecutorOptions): AsyncGenerator<PlanEvent, AppliedStep | StepEnd> {
  const {workspace, reviewer} = options
  const step = state.steps[index]!
  const save = () => options.store.save(state)
  const messages: ChatMessage[] = []
  for (let attempt = 1; ; attempt++) {
    Object.assign(step, {status: 'running', error: undefined, errorCode: undefined})
    await save()
    yield {type: 'step_start', step: index, total: state.steps.length, title: step.title, attempt}
    const access = openStepAccess(state, index, options)
    if (messages.length === 0) messages.push({role: 'user', content: await stepMessage(state, index, access, await workspace.llm.contextWindow())})

    const {outcome, error} = yield* agent(options, access, messages)
    if (outcome.status === 'aborted' || options.signal.aborted) return pause(step, save)
    const diff = await stagedDiff(access)
    const files = access.stagedChanges().map((change) => change.rel)
    yield {type: 'step_diff', step: index, diff, files}

    const problem =
      outcome.status !== 'done' ? (error?.message ?? `the agent stopped (${outcome.status})`) : diff ? undefined : 'the agent made no change for this step'
    const decision = await reviewer.reviewStep({step: index, total: state.steps.length, title: step.title, diff, files, summary: outcome.text, problem})
    switch (decision.action) {
      case 'apply': {
        if (problem && !(diff && decision.despiteProblem)) {
          return yield* failStep(state, index, options, problem, error?.code ?? (diff ? undefined : 'no_change'))
        }

        step.changed = await access.applyStaged()
        Object.assign(step, {status: 'applied', appliedAt: new Date().toISOString()})
        await save()
        yield {type: 'step_status', step: index, status: step.status, files: step.changed}
        return {access, messages}
      }

      case 'redo':
        step.redos++
        messages.push({role: 'user', content: redoMessage(decision.feedback)})
        continue
      case 'skip':
        step.status = 'skipped'
        await save()
        yield {type: 'step_status', step: index, status: step.status, files: []}
        return 'next'
      case 'abort':
        step.status = 'pending'
        await save()
        return 'aborted'
      case 'cancel':
        return pause(step, save)
    }
  }
}

/** After the step's changes are applied: run --verify, let the agent fix failures, then commit. */
async function* finishStep(state: PlanState, index: number, options: ExecutorOptions, applied?: AppliedStep): AsyncGenerator<PlanEvent, StepEnd> {
  const {workspace, reviewer} = options
  const step = state.steps[index]!
  const save = () => options.store.save(state)
  const {verify, maxFixAttempts} = state.options
  if (verify) {
    // Resumed: a fresh access (a second journal run for this step, undone together with the first).
    const access = applied?.access ?? openStepAccess(state, index, options)
    const messages = applied?.messages ?? [{role: 'user' as const, content: await stepMessage(state, index, access, await workspace.llm.contextWindow())}]
    let runs = 0
    let result: ShellResult | undefined
    for (let fixes = 0; ; ) {
      if (!result) {
        runs++
        yield {type: 'verify_start', step: index, command: verify, run: runs}
        result = await options.runVerify(verify)
        if (result.failure === 'cancelled' || options.signal.aborted) return 'interrupted'
        step.verify = {command: verify, passed: result.exitCode === 0, exitCode: result.exitCode, runs}
        await save()
        yield {type: 'verify_result', step: index, result: step.verify, failure: result.failure}
        if (result.exitCode === 0) break
      }

      if (fixes >= maxFixAttempts) {
        const tries = maxFixAttempts === 1 ? '1 fix attempt' : `${maxFixAttempts} fix attempts`
        return yield* failStep(state, index, options, `\`${verify}\` still fails (exit ${result.exitCode}) after ${tries}`, 'verify_failed')
      }

      fixes++
      step.fixAttempts++
      await save()
      yield {type: 'fix_start', step: index, attempt: fixes, of: maxFixAttempts}
      const output = capOutput(result.output, Math.floor(workspace.config.tools.outputChars * 1.5))
      messages.push({role: 'user', content: fixMessage(verify, result.exitCode, output, fixes > 1)})
      const {outcome} = yield* agent(options, access, messages)
      if (outcome.status === 'aborted' || options.signal.aborted) return 'interrupted'
      const diff = await stagedDiff(access)
      const files = access.stagedChanges().map((change) => change.rel)
      yield {type: 'fix_diff', step: index, attempt: fixes, diff, files}
      // No change: nothing to verify again; the next attempt gets the same output.
      if (!diff) continue
      const answer = await reviewer.reviewFix({step: index, attempt: fixes, diff, files})
      if (answer === 'cancel') return 'interrupted'
      if (answer === 'reject') return yield* failStep(state, index, options, `\`${verify}\` fails and the fix was not applied`, 'verify_failed')
      for (const rel of await access.applyStaged()) if (!step.changed.includes(rel)) step.changed.push(rel)
      await save()
      result = undefined
    }
  }

  if (state.options.commit && options.git && step.changed.length > 0) {
    try {
      const trailer = planTrailer(state.id, index)
      const message = `${step.title}\n\n${step.change}\n\n${trailer}`
      // Nothing to commit after a resume: the commit may have been made just before the process died.
      const sha = (await options.git.commitFiles(step.changed, message)) ?? (await options.git.headWithTrailer(trailer))
      if (sha) {
        step.commit = sha
        yield {type: 'commit', step: index, sha, message: step.title}
      }
    } catch (error) {
      return yield* failStep(state, index, options, (error as Error).message, 'git')
    }
  }

  Object.assign(step, {status: 'done', error: undefined, errorCode: undefined})
  await save()
  yield {type: 'step_status', step: index, status: step.status, files: step.changed}
  return 'next'
}

async function* agent(
  options: ExecutorOptions,
  access: ProjectAccess,
  messages: ChatMessage[],
): AsyncGenerator<PlanEvent, {outcome: AgentOutcome; error?: {code: string; message: string}}> {
  const events = runAgent({
    llm: options.workspace.llm,
    tools: [...STEP_TOOLS, ...options.workspace.pluginTools],
    system: systemPrompt({task: STEP_TASK, instructions: options.instructions}),
    messages,
    toolContext: options.workspace.toolContext(options.signal, access),
    maxSteps: options.workspace.config.maxSteps,
  })
  let error: {code: string; message: string} | undefined
  for (;;) {
    const next = await events.next()
    if (next.done) return {outcome: next.value, error}
    if (next.value.type === 'error') error = {code: next.value.code, message: next.value.message}
    yield next.value
  }
}

function openStepAccess(state: PlanState, index: number, options: ExecutorOptions): ProjectAccess {
  const step = state.steps[index]!
  return options.workspace.openAccess({
    confirmer: options.confirmer,
    command: `plan step ${index + 1}/${state.steps.length}: ${step.title}`,
    mode: 'staged',
    plan: {id: state.id, step: index},
  })
}

async function* failStep(state: PlanState, index: number, options: ExecutorOptions, error: string, code?: string): AsyncGenerator<PlanEvent, StepEnd> {
  const step = state.steps[index]!
  Object.assign(step, {status: 'failed', error, errorCode: code})
  await options.store.save(state)
  yield {type: 'step_status', step: index, status: step.status, files: step.changed, message: error}
  return 'failed'
}

async function pause(step: StepState, save: () => Promise<void>): Promise<StepEnd> {
  step.status = 'pending'
  await save()
  return 'interrupted'
}

/** Undoes journal runs of this step left by a process that died while applying it. */
async function rollBack(state: PlanState, index: number, options: ExecutorOptions): Promise<void> {
  const root = options.workspace.root
  for (const run of await listRuns(root)) {
    if (run.plan?.id === state.id && run.plan.step === index) await undoRun(root, run)
  }
}
