import {Args, Flags} from '@oclif/core'

import {chooseConfirmer} from '../cli/confirmer.js'
import {ExitCode} from '../cli/exit-codes.js'
import {FaithhCommand} from '../cli/faithh-command.js'
import {agentFlags, configFromFlags} from '../cli/flags.js'
import {openAgentWorkspace} from '../cli/agent-workspace.js'
import {driveAgent} from '../cli/run-agent.js'
import {stagedDiff, startEditTask} from '../core/tasks/edit-task.js'
import {colorDiff} from '../render/diff-view.js'
import {styleFor} from '../render/style.js'
import {terminalRenderer} from '../render/terminal.js'

export interface EditResult {
  file: string
  applied: boolean
  diff: string
  files: string[]
  error?: string
}

export default class Edit extends FaithhCommand {
  static override summary = 'Have the agent change a file, then review the diff and apply it.'
  static override description =
    'All changes are staged until the end, then shown as one unified diff. --yes applies without asking, --dry-run only prints the diff. ' +
    'Without a terminal and without --yes nothing is applied (exit 6). Applied changes can be reverted with `faithh undo`.'

  static override examples = [
    '<%= config.bin %> edit src/app.ts --instruction "add input validation to createUser"',
    '<%= config.bin %> edit src/app.ts -i "rename fetchData to loadData" --dry-run',
    '<%= config.bin %> edit src/app.ts -i "add JSDoc comments" --yes --json',
  ]

  static override args = {file: Args.string({description: 'the file to change', required: true})}
  static override flags = {
    instruction: Flags.string({helpValue: 'TEXT', char: 'i', description: 'what to change', required: true}),
    yes: Flags.boolean({char: 'y', description: 'apply without asking (also approves any other confirmation)'}),
    'dry-run': Flags.boolean({description: 'print the diff and write nothing'}),
    ...agentFlags,
    json: Flags.boolean({description: 'print {file, applied, diff, files, error?} as JSON on stdout'}),
  }

  async run(): Promise<void> {
    const {args, flags} = await this.parse(Edit)
    const result: EditResult = {file: args.file, applied: false, diff: '', files: []}
    let exitCode: number = ExitCode.ok
    const workspace = this.closeWhenDone(await openAgentWorkspace(this.config, configFromFlags(flags), {yes: flags.yes}))
    const confirmer = chooseConfirmer(flags.yes)
    const access = workspace.openAccess({confirmer, command: `edit ${args.file}`, mode: 'staged'})
    // Progress and the model's summary go to stderr: stdout is the diff (or the JSON result).
    const run = await driveAgent(
      async function* (signal) {
        const task = await startEditTask(workspace, access, {file: args.file, instruction: flags.instruction, signal})
        result.file = task.rel
        return yield* task.events
      },
      terminalRenderer(process.stderr, process.stderr),
    )

    result.diff = await stagedDiff(access)
    result.files = access.stagedChanges().map((change) => change.rel)
    if (!result.diff) {
      result.error = run.error ?? `the model made no change to ${result.file}; try a more specific --instruction`
      exitCode = run.exitCode || ExitCode.failure
    } else if (!flags.json) {
      this.log(colorDiff(result.diff.trimEnd(), styleFor(process.stdout)))
    }

    if (result.diff && !flags['dry-run']) {
      const answer = await confirmer.confirm({kind: 'write', tool: 'edit', rel: result.files.join(', '), diff: result.diff, created: false})
      if (answer.approved) {
        await access.applyStaged()
        result.applied = true
        if (!flags.json) this.logToStderr(`applied to ${result.files.join(', ')} — revert with \`faithh undo\``)
      } else {
        result.error = answer.reason ?? 'not applied'
        exitCode = ExitCode.refused
        if (!flags.json) this.logToStderr(`not applied: ${result.error}`)
      }
    }

    if (flags.json) this.log(JSON.stringify(result))
    else if (result.error && !result.diff) this.logToStderr(`error: ${result.error}`)
    if (exitCode !== ExitCode.ok) this.exit(exitCode)
  }
}
