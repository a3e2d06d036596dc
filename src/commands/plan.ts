import {Args, Flags} from '@oclif/core'

import {chooseConfirmer} from '../cli/confirmer.js'
import {ExitCode, exitCodeForError} from '../cli/exit-codes.js'
import {FaithhCommand} from '../cli/faithh-command.js'
import {agentFlags, configFromFlags} from '../cli/flags.js'
import {openAgentWorkspace} from '../cli/agent-workspace.js'
import {driveEvents} from '../cli/run-agent.js'
import {hasTerminal} from '../core/access/confirm.js'
import {FaithhError} from '../core/errors.js'
import {PlanError} from '../core/plan/plan-error.js'
import {planReport} from '../core/plan/report.js'
import {acceptAll} from '../core/plan/review.js'
import type {PlanState} from '../core/plan/schema.js'
import {findPlanToResume, resumePlan, startPlan, type PlanSessionOptions} from '../core/plan/session.js'
import {PlanStore} from '../core/plan/store.js'
import {loadConfig} from '../core/config/load.js'
import {runShell} from '../core/tasks/shell.js'
import {terminalPlanReviewer} from '../render/plan-review.js'
import {formatPlanList, formatSummary, planRenderer} from '../render/plan-view.js'
import {describeInstructions} from '../render/instructions-view.js'
import {plainStyle, styleFor} from '../render/style.js'

export default class Plan extends FaithhCommand {
  static override summary = 'Plan a multi-file change, review the plan, then carry it out step by step: reviewed diffs, checks, commits.'
  static override description =
    'The model proposes small ordered steps; you approve, edit or remove them. Each step is done by the agent with its writes staged, ' +
    'then its whole diff is shown: apply, redo with feedback, skip or abort. --verify runs a check after each applied step and lets the agent ' +
    'fix failures; --commit commits each step. Progress is saved in .faithh/plans/<id>.json: --resume continues after Ctrl-C or a crash. ' +
    '`faithh undo` reverts the last step, `faithh undo --plan` the whole plan. Without a terminal, --yes is required (exit 6).'

  static override examples = [
    '<%= config.bin %> plan "extract the retry logic into src/retry.ts and use it in both clients" --verify "npm test"',
    '<%= config.bin %> plan "add a --verbose flag" --verify "npm test" --commit',
    '<%= config.bin %> plan "rename User to Account everywhere" --yes --json',
    '<%= config.bin %> plan --resume',
    '<%= config.bin %> plan --list',
  ]

  static override args = {task: Args.string({description: 'what to do, in quotes (with --resume: a plan id, default the newest stopped plan)'})}
  static override flags = {
    verify: Flags.string({
      helpValue: 'COMMAND',
      description: 'check to run after each applied step, e.g. "npm test"; on failure the agent gets the output to fix the step',
    }),
    'max-fix-attempts': Flags.integer({helpValue: 'N', description: 'fix attempts per step when --verify fails (default 2)', min: 0, max: 10}),
    commit: Flags.boolean({description: 'in a git repository, commit each finished step (message from the step); outside one it is a note, not an error'}),
    'allow-dirty': Flags.boolean({description: 'start even with uncommitted changes in the git repository'}),
    yes: Flags.boolean({char: 'y', description: "accept the plan, every step and every fix without asking (the policy's denials still hold)"}),
    resume: Flags.boolean({description: 'continue a stopped plan where it left off: the id given as argument, or the newest interrupted or failed one'}),
    list: Flags.boolean({description: 'list the plans of this project and their state (with --json: the full reports)'}),
    ...agentFlags,
    json: Flags.boolean({description: 'print a JSON report on stdout (steps, status, files changed, verify results); progress goes to stderr'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Plan)
    const style = styleFor(process.stdout)
    if (flags.list) return this.list(flags.json)
    if (!flags.resume && !args.task) throw new FaithhError('usage', 'say what to do: faithh plan "<task>" (or --resume, --list)')
    if (!flags.yes && !hasTerminal()) {
      throw new PlanError('refused', 'a plan and its steps need review and there is no terminal to ask on', {hint: 'rerun with --yes to accept them all'})
    }

    const workspace = this.closeWhenDone(await openAgentWorkspace(this.config, configFromFlags(flags), {yes: flags.yes}))
    const resuming = flags.resume ? await findPlanToResume(workspace.root, args.task) : undefined
    const out = flags.json ? process.stderr : process.stdout
    const session = (signal: AbortSignal): PlanSessionOptions => ({
      workspace,
      signal,
      reviewer: flags.yes ? acceptAll : terminalPlanReviewer(),
      confirmer: chooseConfirmer(flags.yes),
      allowDirty: flags['allow-dirty'],
      runVerify: (command, signal) =>
        runShell(command, {signal, timeoutMs: workspace.config.tools.runTimeoutSeconds * 1000, onOutput: (chunk) => process.stderr.write(chunk)}),
    })
    const options = {verify: flags.verify, commit: flags.commit, maxFixAttempts: flags['max-fix-attempts']}
    const render = planRenderer(out, process.stderr, styleFor(process.stderr))
    const notes: string[] = []
    const {value: state} = await driveEvents(
      (signal) =>
        resuming
          ? resumePlan(resuming, {...options, commit: flags.commit || undefined}, session(signal))
          : startPlan(args.task!, {...options, maxFixAttempts: options.maxFixAttempts ?? 2}, session(signal)),
      (event) => {
        if (event.type === 'note') notes.push(event.message)
        if (event.type === 'context') notes.push(...event.notes)
        if (event.type === 'instructions') notes.push(...describeInstructions(event.report, plainStyle))
        render(event)
      },
    )

    const report = planReport(state, new PlanStore(workspace.root).relFileOf(state.id), notes)
    if (flags.json) this.log(JSON.stringify({...report, sandbox: await workspace.sandbox.report()}))
    else this.log(`\n${formatSummary(state, style)}`)
    const code = exitCodeFor(state)
    if (code !== ExitCode.ok) this.exit(code)
  }

  private async list(json: boolean): Promise<void> {
    const {root} = await loadConfig({cwd: process.cwd()})
    const {plans, unreadable} = await new PlanStore(root).list()
    if (json) this.log(JSON.stringify({plans: plans.map((plan) => planReport(plan, new PlanStore(root).relFileOf(plan.id))), unreadable}))
    else this.log(formatPlanList(plans, styleFor(process.stdout)))
    for (const file of unreadable) this.logToStderr(`skipped ${file}: not a readable plan`)
  }
}

/** done 0; a failed step 1 (or the model's own code: unreachable 3, not pulled 4, max steps 5); aborted 6; interrupted 130. */
function exitCodeFor(state: PlanState): number {
  switch (state.status) {
    case 'done':
      return ExitCode.ok
    case 'aborted':
      return ExitCode.refused
    case 'interrupted':
      return ExitCode.cancelled
    default: {
      const failed = state.steps.find((step) => step.status === 'failed')
      const code = failed?.errorCode ? exitCodeForError(failed.errorCode) : ExitCode.failure
      return code === ExitCode.ok ? ExitCode.failure : code
    }
  }
}
