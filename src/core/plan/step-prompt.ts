import type {ProjectAccess} from '../access/project-access.js'
import type {PlanState} from './schema.js'

/** Inline expected files in the step's first message while they fit in this share of the window: saves read_file round-trips. */
const INLINE_SHARE = 0.35
const CHARS_PER_TOKEN = 3.5

export const STEP_TASK =
  'Carry out exactly one step of a reviewed plan: the step named in the message, nothing from later steps. ' +
  'Prefer edit_file with old_text copied exactly from the file; use write_file for new files or whole rewrites. ' +
  'When the step is done, reply with a one-sentence summary.'

/**
 * The step's first message: the task, the whole plan with this step marked (so the model knows what
 * is done and what comes later), the step itself, and the expected files' current content when small.
 */
export async function stepMessage(state: PlanState, index: number, access: ProjectAccess, numCtx: number): Promise<string> {
  const step = state.steps[index]!
  const outline = state.steps
    .map((s, i) => `${i + 1}. ${s.title}${i === index ? '   <- this step' : s.status === 'done' ? ' (done)' : s.status === 'skipped' ? ' (skipped)' : ''}`)
    .join('\n')
  const parts = [`Overall task: ${state.task}`, `Plan:\n${outline}`, `Do step ${index + 1} now: ${step.title}\n${step.change}`]
  if (step.files.length > 0) parts.push(`Files expected: ${step.files.join(', ')}`)

  let budget = Math.floor(numCtx * INLINE_SHARE * CHARS_PER_TOKEN)
  for (const file of step.files) {
    const decision = await access.policy.checkRead(file)
    if (decision.verdict !== 'allow' || !decision.abs) continue
    const content = (await access.readBytes(decision.abs).catch(() => undefined))?.toString('utf8')
    if (content === undefined || content.includes('\u0000') || content.length > budget) continue
    budget -= content.length
    parts.push(`File ${decision.rel ?? file}, current content:\n\`\`\`\n${content}\n\`\`\``)
  }

  return parts.join('\n\n')
}

export function redoMessage(feedback: string): string {
  return (
    'The user did not apply these changes; they were discarded, so the files are as they were before this step. ' +
    `Do the step again${feedback ? `, taking this into account: ${feedback}` : ' differently'}.`
  )
}

export function fixMessage(command: string, exitCode: number, output: string, again: boolean): string {
  return (
    `${again ? 'Still failing after your fix. ' : 'The changes of this step were applied, but the check failed. '}` +
    `\`${command}\` exited with code ${exitCode}. Output:\n\`\`\`\n${output}\n\`\`\`\n` +
    'Find the cause and fix the code, within the scope of this step. Do not run the command: it is re-run after you finish. ' +
    'Never weaken or delete tests to make them pass.'
  )
}
