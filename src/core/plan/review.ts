import type {PlanStep} from './schema.js'

/**
 * Where a person decides. The terminal asks with prompts (src/render/plan-review.ts); --yes accepts
 * everything. Without either, `faithh plan` refuses to start: a plan is never half-run unattended.
 */
export type PlanDecision = {action: 'approve'; steps: PlanStep[]} | {action: 'abort'} | {action: 'cancel'}

export type StepDecision =
  /** `despiteProblem`: the user applies a diff although the agent did not finish (max steps, model error). */
  | {action: 'apply'; despiteProblem?: boolean}
  | {action: 'redo'; feedback: string}
  | {action: 'skip'}
  | {action: 'abort'}
  /** Ctrl-C at the prompt: stop, resumable. */
  | {action: 'cancel'}

export interface StepReview {
  step: number
  total: number
  title: string
  /** '' when the agent changed nothing. */
  diff: string
  files: string[]
  /** The agent's closing summary, or why it stopped. */
  summary: string
  /** Set when the agent did not finish (max steps, model error): applying is then not offered. */
  problem?: string
}

export interface FixReview {
  step: number
  attempt: number
  diff: string
  files: string[]
}

export interface PlanReviewer {
  reviewPlan(steps: PlanStep[]): Promise<PlanDecision>
  reviewStep(review: StepReview): Promise<StepDecision>
  /** A fix for a failed verification: apply it (and verify again), or not (the step fails). */
  reviewFix(review: FixReview): Promise<'apply' | 'reject' | 'cancel'>
}

/**
 * --yes: the plan as proposed, every step with changes applied, every fix applied. A step where the
 * agent changed nothing or did not finish fails: a script must learn that the plan was not carried out.
 */
export const acceptAll: PlanReviewer = {
  reviewPlan: async (steps) => ({action: 'approve', steps}),
  reviewStep: async () => ({action: 'apply'}),
  reviewFix: async () => 'apply',
}
