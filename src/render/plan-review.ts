import type {FixReview, PlanDecision, PlanReviewer, StepDecision, StepReview} from '../core/plan/review.js'
import {planStepSchema, type PlanStep} from '../core/plan/schema.js'
import {formatSteps} from './plan-view.js'
import {styleFor} from './style.js'

/**
 * The plan and each step's diff reviewed at the terminal with inquirer, drawing on stderr. Ctrl-C at a
 * prompt stops the plan where it is (resumable), and is never taken as a yes.
 */
export function terminalPlanReviewer(stderr: NodeJS.WriteStream = process.stderr): PlanReviewer {
  const style = styleFor(stderr)
  const context = {output: stderr, clearPromptOnDone: false}
  const prompts = () => import('@inquirer/prompts')

  return {
    async reviewPlan(proposed: PlanStep[]): Promise<PlanDecision> {
      const {select, input, checkbox} = await prompts()
      let steps = proposed.map((step) => ({...step, files: [...step.files]}))
      try {
        for (;;) {
          const action = await select(
            {
              message: 'Run this plan?',
              choices: [
                {name: 'Yes, start', value: 'approve'},
                {name: 'Edit a step', value: 'edit'},
                {name: 'Remove steps', value: 'remove'},
                {name: 'Abort', value: 'abort'},
              ],
            },
            context,
          )
          if (action === 'approve') return {action: 'approve', steps}
          if (action === 'abort') return {action: 'abort'}
          if (action === 'edit') {
            const index = await select({message: 'Which step?', choices: steps.map((step, i) => ({name: `${i + 1}. ${step.title}`, value: i}))}, context)
            const step = steps[index]!
            const title = await input({message: 'Title:', default: step.title, prefill: 'editable'}, context)
            const change = await input({message: 'What to change:', default: step.change, prefill: 'editable'}, context)
            const files = await input({message: 'Files (comma-separated):', default: step.files.join(', '), prefill: 'editable'}, context)
            const edited = planStepSchema.safeParse({
              title: title.trim() || step.title,
              change: change.trim() || step.change,
              files: files
                .split(',')
                .map((f) => f.trim())
                .filter(Boolean),
            })
            if (edited.success) steps[index] = edited.data
            else stderr.write(style.yellow(`step not changed: ${edited.error.issues[0]?.message}\n`))
          } else {
            const removed = await checkbox(
              {message: 'Remove which steps? (space selects, enter confirms)', choices: steps.map((step, i) => ({name: `${i + 1}. ${step.title}`, value: i}))},
              context,
            )
            const kept = steps.filter((_, i) => !removed.includes(i))
            if (kept.length === 0) stderr.write(style.yellow('a plan needs at least one step; nothing removed (choose Abort to stop)\n'))
            else steps = kept
          }

          stderr.write(`\n${formatSteps(steps, style)}\n`)
        }
      } catch {
        return {action: 'cancel'}
      }
    },

    async reviewStep(review: StepReview): Promise<StepDecision> {
      const {select, input} = await prompts()
      // The agent's own summary has already streamed; only say why it stopped short.
      if (review.problem) stderr.write(style.yellow(`${review.problem}\n`))
      const choices = [
        ...(review.diff ? [{name: review.problem ? 'Apply anyway' : 'Apply', value: 'apply'}] : []),
        {name: 'Redo with feedback', value: 'redo'},
        {name: 'Skip this step', value: 'skip'},
        {name: 'Abort the plan', value: 'abort'},
      ]
      try {
        const action = await select(
          {message: `Step ${review.step + 1}/${review.total}: ${review.diff ? 'apply these changes?' : 'what now?'}`, choices},
          context,
        )
        if (action === 'apply') return {action: 'apply', despiteProblem: Boolean(review.problem)}
        if (action === 'redo') return {action: 'redo', feedback: (await input({message: 'What should be different? (sent to the model)'}, context)).trim()}
        return {action: action as 'skip' | 'abort'}
      } catch {
        return {action: 'cancel'}
      }
    },

    async reviewFix(review: FixReview): Promise<'apply' | 'reject' | 'cancel'> {
      const {select} = await prompts()
      try {
        return await select(
          {
            message: `Apply fix attempt ${review.attempt} to step ${review.step + 1} and check again?`,
            choices: [
              {name: 'Yes', value: 'apply' as const},
              {name: 'No (the step is marked failed; resume later)', value: 'reject' as const},
            ],
          },
          context,
        )
      } catch {
        return 'cancel'
      }
    },
  }
}
