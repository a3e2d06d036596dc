import {listRuns, type RunManifest} from '../changes/journal.js'
import {undoRun, type UndoFileResult, type UndoReport} from '../changes/undo.js'
import {GitRepo} from './git.js'
import {PlanStore} from './store.js'

export interface PlanStepUndo {
  step: number
  title: string
  files: UndoFileResult[]
  /** The commit that reverts the step's commit (plans run with --commit). */
  revertCommit?: string
  note?: string
}

export interface PlanUndoReport extends UndoReport {
  plan: {id: string; task: string; steps: PlanStepUndo[]}
}

/**
 * `faithh undo` when the last journaled run is a plan step: reverts that step (every journal run of
 * it: the applied diff and any fixes); with `wholePlan`, every step of the newest plan, last first.
 * Files come back from the journal, so unrelated changes are never touched and a file changed since
 * is skipped unless `force`. A step that was committed (--commit) gets a revert commit of exactly its
 * files, like `git revert`, as long as that commit is still in HEAD's history and nothing was skipped.
 * Returns undefined when there is no plan step to undo.
 */
export async function undoPlanSteps(root: string, {wholePlan = false, force = false} = {}): Promise<PlanUndoReport | undefined> {
  const runs = await listRuns(root)
  const newest = wholePlan ? runs.find((run) => run.plan) : runs[0]
  if (!newest?.plan) return undefined
  const {id} = newest.plan
  const selected = runs.filter((run) => run.plan?.id === id && (wholePlan || run.plan.step === newest.plan!.step))

  const store = new PlanStore(root)
  const state = await store.load(id).catch(() => undefined)
  const git = await GitRepo.open(root)
  const steps: PlanStepUndo[] = []
  for (const [step, stepRuns] of byStep(selected)) {
    const stepState = state?.steps[step]
    const undo: PlanStepUndo = {step, title: stepState?.title ?? stepRuns[0]!.command, files: []}
    for (const run of stepRuns) undo.files.push(...(await undoRun(root, run, {force})).files)
    const commit = stepState?.commit
    if (git && commit) {
      if (undo.files.some((file) => file.action === 'skipped')) undo.note = `files were skipped: commit ${commit.slice(0, 10)} not reverted`
      else if (!(await git.contains(commit))) undo.note = `commit ${commit.slice(0, 10)} is no longer in the history: only the files were restored`
      else {
        const message = `Revert "${stepState.title}"\n\nThis reverts commit ${commit}.`
        // The files are already restored: a failed commit is reported, not fatal.
        undo.revertCommit = await git.commitFiles(unique(undo.files.map((f) => f.rel)), message).catch((error: Error) => {
          undo.note = `files restored, but the revert commit failed: ${error.message}`
          return undefined
        })
      }
    }

    if (stepState) Object.assign(stepState, {status: 'undone', appliedAt: undefined, revertCommit: undo.revertCommit, error: undefined})
    steps.push(undo)
  }

  if (state) {
    state.status = 'undone'
    await store.save(state)
  }

  return {
    run: {id: newest.id, command: newest.command, startedAt: newest.startedAt},
    files: steps.flatMap((s) => s.files),
    plan: {id, task: state?.task ?? '', steps},
  }
}

/** Runs grouped by step, newest step first (runs come newest first). */
function byStep(runs: RunManifest[]): Map<number, RunManifest[]> {
  const groups = new Map<number, RunManifest[]>()
  for (const run of runs) groups.set(run.plan!.step, [...(groups.get(run.plan!.step) ?? []), run])
  return groups
}

function unique(items: string[]): string[] {
  return [...new Set(items)]
}
