import {z} from 'zod'

/**
 * Small steps are the point: a 7B model does one focused change well and a long list badly, and a
 * person reviews ten diffs but not thirty. A plan longer than this is sent back to be merged.
 */
export const MAX_PLAN_STEPS = 10

/** One step as the model writes it, and as the user may edit it at review. */
export const planStepSchema = z.object({
  title: z.string().trim().min(1, 'a step needs a title').max(200).describe('a few words, imperative: "Add parseDate helper"'),
  change: z.string().trim().min(1, 'a step needs a description of the change').describe('what to change, concretely, in one to three sentences'),
  files: z
    .array(z.string().trim().min(1).refine(isProjectRelative, 'files must be paths relative to the project root, inside it'))
    .describe('project-relative paths of the files this step creates or edits'),
})

/** The model's whole reply. Its JSON schema is what Ollama's `format` constrains generation to. */
export const planDraftSchema = z.object({
  steps: z
    .array(planStepSchema)
    .min(1, 'the plan has no steps')
    .max(MAX_PLAN_STEPS, `too many steps: use at most ${MAX_PLAN_STEPS}, merging small related changes`),
})

export type PlanStep = z.infer<typeof planStepSchema>

/** What Ollama gets as `format`: the draft schema without `$schema` (Ollama ignores it; it costs nothing but noise). */
export function planFormat(): Record<string, unknown> {
  const {$schema: _ignored, ...schema} = z.toJSONSchema(planDraftSchema, {io: 'input'}) as Record<string, unknown>
  return schema
}

/**
 * A step's life: pending → running (agent working, changes staged in memory) → applied (written and
 * journaled) → done (verified, committed). `failed` keeps `appliedAt` when its changes are on disk;
 * `undone` after `faithh undo`. Saved after every transition so `--resume` knows exactly where to go on.
 */
export const stepStatusSchema = z.enum(['pending', 'running', 'applied', 'done', 'skipped', 'failed', 'undone'])
export type StepStatus = z.infer<typeof stepStatusSchema>

export const verifyResultSchema = z.object({
  command: z.string(),
  passed: z.boolean(),
  exitCode: z.number().int(),
  /** Runs of the command for this step, the first included. */
  runs: z.number().int(),
})
export type VerifyResult = z.infer<typeof verifyResultSchema>

export const stepStateSchema = z.object({
  title: z.string(),
  change: z.string(),
  files: z.array(z.string()),
  status: stepStatusSchema,
  /** Files actually written, root-relative, in order. */
  changed: z.array(z.string()).default([]),
  appliedAt: z.string().optional(),
  redos: z.number().int().default(0),
  fixAttempts: z.number().int().default(0),
  verify: verifyResultSchema.optional(),
  commit: z.string().optional(),
  revertCommit: z.string().optional(),
  error: z.string().optional(),
  /** The agent's error code when the step failed on the model side (unreachable, max_steps…). */
  errorCode: z.string().optional(),
})
export type StepState = z.infer<typeof stepStateSchema>

/** `undone`: `faithh undo` reverted some of its steps; `--resume <id>` does them again. */
export const planStatusSchema = z.enum(['reviewing', 'running', 'interrupted', 'aborted', 'failed', 'done', 'undone'])
export type PlanStatus = z.infer<typeof planStatusSchema>

export const planOptionsSchema = z.object({
  verify: z.string().optional(),
  commit: z.boolean().default(false),
  maxFixAttempts: z.number().int().min(0).default(2),
})
export type PlanOptions = z.infer<typeof planOptionsSchema>

export const planStateSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  task: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: planStatusSchema,
  /** The process working on the plan: a "running" plan whose process is gone was interrupted. */
  pid: z.number().int().optional(),
  options: planOptionsSchema,
  steps: z.array(stepStateSchema),
  error: z.string().optional(),
})
export type PlanState = z.infer<typeof planStateSchema>

function isProjectRelative(file: string): boolean {
  const parts = file.replaceAll('\\', '/').split('/')
  return !file.startsWith('/') && !/^[a-z]:/i.test(file) && !parts.includes('..')
}
