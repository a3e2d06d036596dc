import type {PlanEvent} from '../core/plan/events.js'
import type {PlanState, PlanStep} from '../core/plan/schema.js'
import {effectiveStatus} from '../core/plan/store.js'
import {colorDiff} from './diff-view.js'
import {describeInstructions} from './instructions-view.js'
import type {Style} from './style.js'
import {terminalRenderer} from './terminal.js'

/**
 * Human output of a plan run. The plan, the step diffs and the summary go to `out` (stdout, or stderr
 * under --json so stdout stays the report); agent activity, checks and notes go to `err`.
 */
export function planRenderer(out: NodeJS.WriteStream, err: NodeJS.WriteStream, style: Style): (event: PlanEvent) => void {
  const agent = terminalRenderer(err, err)
  return (event) => {
    switch (event.type) {
      case 'note':
        err.write(style.yellow(`note: ${event.message}\n`))
        break
      case 'context':
        if (event.retrieved.length > 0) err.write(style.dim(`planning with code from ${event.retrieved.join(', ')}\n`))
        for (const note of event.notes) err.write(style.dim(`${note}\n`))
        break
      case 'instructions':
        for (const line of describeInstructions(event.report, style)) err.write(line + '\n')
        break
      case 'planning':
        err.write(style.dim(event.attempt === 1 ? 'planning…\n' : `asking for the plan again (attempt ${event.attempt})\n`))
        break
      case 'plan_invalid':
        err.write(style.yellow(`the model's plan was not valid: ${event.error}\n`))
        break
      case 'plan':
        out.write(`\n${style.bold(`Plan ${event.id}`)} ${style.dim(`(${event.file})`)}\n${formatSteps(event.steps, style)}\n`)
        break
      case 'step_start':
        out.write(
          `\n${style.bold(`▶ Step ${event.step + 1}/${event.total}: ${event.title}`)}${event.attempt > 1 ? style.dim(` (attempt ${event.attempt})`) : ''}\n`,
        )
        break
      case 'step_diff':
      case 'fix_diff':
        if (event.diff) out.write(colorDiff(event.diff.trimEnd(), style) + '\n')
        else err.write(style.dim(event.type === 'fix_diff' ? 'the fix changed nothing\n' : 'no changes\n'))
        break
      case 'step_status':
        err.write(stepStatusLine(event, style))
        break
      case 'verify_start':
        err.write(style.cyan(`▶ ${event.command}${event.run > 1 ? ` (run ${event.run})` : ''}\n`))
        break
      case 'verify_result':
        err.write(
          event.result.passed
            ? style.green(`✓ \`${event.result.command}\` passed\n`)
            : style.red(`✗ \`${event.result.command}\` exited with ${event.result.exitCode}${event.failure ? ` (${event.failure})` : ''}\n`),
        )
        break
      case 'fix_start':
        err.write(style.yellow(`fix attempt ${event.attempt} of ${event.of}\n`))
        break
      case 'commit':
        err.write(style.dim(`committed ${event.sha.slice(0, 10)} ${event.message}\n`))
        break
      case 'plan_status':
        break
      default:
        agent(event)
    }
  }
}

export function formatSteps(steps: PlanStep[], style: Style): string {
  return steps
    .map((step, i) => {
      const files = step.files.length > 0 ? `\n     ${style.dim(`files: ${step.files.join(', ')}`)}` : ''
      return `  ${i + 1}. ${style.bold(step.title)}\n     ${step.change}${files}`
    })
    .join('\n')
}

/** One line per step, then what to do next. */
export function formatSummary(state: PlanState, style: Style): string {
  const marks: Record<string, string> = {
    done: style.green('✓'),
    skipped: style.dim('–'),
    failed: style.red('✗'),
    applied: style.yellow('•'),
    undone: style.dim('↺'),
  }
  const lines = state.steps.map((step, i) => {
    const verify = step.verify ? (step.verify.passed ? ', verified' : ', verify failing') : ''
    const commit = step.commit ? `, commit ${step.commit.slice(0, 10)}` : ''
    const files = step.changed.length > 0 ? ` — ${step.changed.join(', ')}` : ''
    return `  ${marks[step.status] ?? ' '} ${i + 1}. ${step.title} (${step.status}${verify}${commit})${files}${step.error ? `\n       ${style.red(step.error)}` : ''}`
  })
  return [`${style.bold(`Plan ${state.id}: ${state.status}`)}`, ...lines, nextStep(state)].filter(Boolean).join('\n')
}

function nextStep(state: PlanState): string {
  switch (state.status) {
    case 'done':
      return 'revert the last step with `faithh undo`, or the whole plan with `faithh undo --plan`'
    case 'interrupted':
    case 'failed':
      return `continue with \`faithh plan --resume ${state.id}\``
    case 'aborted':
      return `aborted; \`faithh plan --resume ${state.id}\` picks it up again`
    default:
      return ''
  }
}

/** `faithh plan --list`. */
export function formatPlanList(plans: PlanState[], style: Style): string {
  if (plans.length === 0) return 'no plans yet — start one with `faithh plan "<task>"`'
  return plans
    .map((plan) => {
      const done = plan.steps.filter((step) => step.status === 'done').length
      const task = plan.task.length > 60 ? `${plan.task.slice(0, 59)}…` : plan.task
      return `${plan.id}  ${effectiveStatus(plan).padEnd(11)}  ${`${done}/${plan.steps.length} steps`.padEnd(10)}  ${style.dim(plan.updatedAt.slice(0, 16).replace('T', ' '))}  ${task}`
    })
    .join('\n')
}

function stepStatusLine(event: Extract<PlanEvent, {type: 'step_status'}>, style: Style): string {
  const n = event.step + 1
  switch (event.status) {
    case 'applied':
      return style.green(`✓ applied step ${n}: ${event.files.join(', ')}\n`)
    case 'done':
      return style.green(`✓ step ${n} done\n`)
    case 'skipped':
      return style.dim(`– step ${n} skipped\n`)
    case 'failed':
      return style.red(`✗ step ${n} failed: ${event.message ?? ''}\n`)
    default:
      return ''
  }
}
