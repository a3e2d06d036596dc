import type {AgentEvent} from '../agent/events.js'
import type {InstructionsReport} from '../instructions/fit.js'
import type {PlanStatus, PlanStep, StepStatus, VerifyResult} from './schema.js'

/**
 * What a plan run reports, in order. Agent events of each step pass through unchanged, so the same
 * renderers show them; `step` fields are 0-based indexes into the plan.
 */
export type PlanEvent =
  | AgentEvent
  | {type: 'note'; message: string}
  | {type: 'context'; retrieved: string[]; notes: string[]}
  /** The project instruction files in the planner's and every step's prompt (read once per run). */
  | {type: 'instructions'; report: InstructionsReport}
  | {type: 'planning'; attempt: number}
  | {type: 'plan_invalid'; attempt: number; error: string}
  | {type: 'plan'; id: string; steps: PlanStep[]; file: string}
  | {type: 'step_start'; step: number; total: number; title: string; attempt: number}
  | {type: 'step_diff'; step: number; diff: string; files: string[]}
  | {type: 'step_status'; step: number; status: StepStatus; files: string[]; message?: string}
  | {type: 'verify_start'; step: number; command: string; run: number}
  | {type: 'verify_result'; step: number; result: VerifyResult; failure?: string}
  | {type: 'fix_start'; step: number; attempt: number; of: number}
  | {type: 'fix_diff'; step: number; attempt: number; diff: string; files: string[]}
  | {type: 'commit'; step: number; sha: string; message: string}
  | {type: 'plan_status'; id: string; status: PlanStatus}
