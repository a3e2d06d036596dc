import type {PlanState, StepStatus, VerifyResult} from './schema.js'

/** What `faithh plan --json` prints: enough for a script to know what happened without reading the state file. */
export interface PlanReport {
  id: string
  task: string
  status: PlanState['status']
  /** The state file, project-relative. */
  file: string
  verify?: string
  commit: boolean
  steps: {
    step: number
    title: string
    status: StepStatus
    files: string[]
    verify?: VerifyResult
    fixAttempts: number
    commit?: string
    error?: string
  }[]
  filesChanged: string[]
  failed: number
  notes: string[]
}

export function planReport(state: PlanState, file: string, notes: string[] = []): PlanReport {
  return {
    id: state.id,
    task: state.task,
    status: state.status,
    file,
    ...(state.options.verify ? {verify: state.options.verify} : {}),
    commit: state.options.commit,
    steps: state.steps.map((step, index) => ({
      step: index + 1,
      title: step.title,
      status: step.status,
      files: step.changed,
      ...(step.verify ? {verify: step.verify} : {}),
      fixAttempts: step.fixAttempts,
      ...(step.commit ? {commit: step.commit} : {}),
      ...(step.error ? {error: step.error} : {}),
    })),
    filesChanged: [
      ...new Set(state.steps.filter((s) => s.status === 'done' || s.status === 'applied' || (s.status === 'failed' && s.appliedAt)).flatMap((s) => s.changed)),
    ],
    failed: state.steps.filter((step) => step.status === 'failed').length,
    notes,
  }
}
