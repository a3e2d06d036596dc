import {Args, Flags} from '@oclif/core'

import {chooseConfirmer} from '../cli/confirmer.js'
import {ExitCode} from '../cli/exit-codes.js'
import {FaithhCommand} from '../cli/faithh-command.js'
import {stderrNotice} from '../cli/notice.js'
import {configFromFlags, modelFlags} from '../cli/flags.js'
import {openAgentWorkspace} from '../cli/agent-workspace.js'
import {driveEvents} from '../cli/run-agent.js'
import {openWorkspace} from '../core/agent/workspace.js'
import {FaithhError} from '../core/errors.js'
import {runWithFixes, type FixEvent, type FixOutcome} from '../core/tasks/fix-task.js'
import {NETWORK_ACCESS} from '../core/sandbox/config.js'
import {runShell} from '../core/tasks/shell.js'
import {styleFor} from '../render/style.js'
import {terminalRenderer} from '../render/terminal.js'

export default class Run extends FaithhCommand {
  static override summary = 'Run a command through the permission policy; with --fix, let the agent fix the code until it passes.'
  static override description =
    "Exits with the command's own exit code (124 when it times out). The command is judged by the policy first: allowed commands run, denied ones never do (exit 6), " +
    "others ask (or need --yes without a terminal). It runs in the sandbox: writes only in the project, no network unless --network grants it. With --fix, each failure's output goes to the agent, which edits the code (each write confirmed " +
    'with its diff, or approved by --yes), and the command runs again, up to --max-attempts times.'

  static override examples = [
    '<%= config.bin %> run "npm test"',
    '<%= config.bin %> run "npm test" --fix --max-attempts 3',
    '<%= config.bin %> run "pytest -x" --fix --yes --json',
  ]

  static override args = {command: Args.string({description: 'the command line, in quotes', required: true})}
  static override flags = {
    fix: Flags.boolean({description: 'when the command fails, let the agent fix the code and re-run'}),
    'max-attempts': Flags.integer({helpValue: 'N', description: 'fix attempts with --fix', default: 3, min: 1, max: 20}),
    yes: Flags.boolean({char: 'y', description: "approve every confirmation (the policy's denials still hold)"}),
    json: Flags.boolean({description: 'print {command, passed, exitCode, runs, changed, sandbox} as JSON on stdout; command output goes to stderr'}),
    network: Flags.option({
      options: NETWORK_ACCESS,
      description: "network for the command (and its re-runs) in the sandbox: none (default), loopback (this machine's services), full",
    })(),
    timeout: Flags.integer({description: 'stop the command after this many seconds, exit 124 (config "tools.runTimeoutSeconds", default 1800)', min: 1}),
    ...modelFlags,
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Run)
    const workspace = this.closeWhenDone(
      flags.fix
        ? await openAgentWorkspace(this.config, configFromFlags(flags), {yes: flags.yes})
        : await openWorkspace({cwd: process.cwd(), flags: configFromFlags(flags), notify: stderrNotice}),
    )
    const confirmer = chooseConfirmer(flags.yes)
    const access = workspace.openAccess({confirmer, command: `run ${args.command}`})
    const approval = await access.approveCommand(args.command, 'run', {network: flags.network, source: '--network'})
    if (!approval.ok) throw new FaithhError('refused', `not run: ${approval.reason}`)
    const timeoutMs = (flags.timeout ?? workspace.config.tools.runTimeoutSeconds) * 1000

    const style = styleFor(process.stderr)
    const render = terminalRenderer(process.stderr, process.stderr)
    const {value: outcome, needsApproval} = await driveEvents<FixEvent, FixOutcome>(
      (signal) =>
        runWithFixes({
          workspace,
          access,
          command: args.command,
          maxAttempts: flags.fix ? flags['max-attempts'] : 0,
          signal,
          execute: () =>
            runShell(approval.command, {
              signal,
              timeoutMs,
              onOutput: (chunk, stream) => (flags.json || stream === 'stderr' ? process.stderr : process.stdout).write(chunk),
            }),
        }),
      (event) => {
        if (event.type === 'attempt') {
          if (event.attempt > 0) process.stderr.write(style.cyan(`\n▶ re-running \`${event.command}\` (after fix attempt ${event.attempt})\n`))
        } else if (event.type === 'command_result') {
          if (event.exitCode !== 0 && flags.fix)
            process.stderr.write(style.yellow(`\`${args.command}\` exited with ${event.exitCode}${event.failure ? ` (${event.failure})` : ''}\n`))
        } else {
          render(event)
        }
      },
    )

    if (flags.json) this.log(JSON.stringify({command: args.command, ...outcome, sandbox: await workspace.sandbox.reportFor(approval.command.grant)}))
    else if (flags.fix) this.logToStderr(summary(outcome))
    // It passed, but a fix the agent wanted was refused for want of a terminal: scripts must see that.
    if (needsApproval && outcome.exitCode === 0) this.exit(ExitCode.refused)
    if (outcome.exitCode !== 0) this.exit(outcome.exitCode)
  }
}

function summary(outcome: FixOutcome): string {
  const changed = outcome.changed.length > 0 ? `; changed ${outcome.changed.join(', ')} (revert with \`faithh undo\`)` : '; no files changed'
  return outcome.passed ? `passed after ${outcome.runs} run${outcome.runs === 1 ? '' : 's'}${changed}` : `still failing after ${outcome.runs} runs${changed}`
}
