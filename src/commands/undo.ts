import {Flags} from '@oclif/core'

import {FaithhCommand} from '../cli/faithh-command.js'
import {loadConfig} from '../core/config/load.js'
import {undoLastRun, type UndoReport} from '../core/changes/undo.js'
import {undoPlanSteps} from '../core/plan/undo-plan.js'

export default class Undo extends FaithhCommand {
  static override summary = 'Revert the files changed by the last faithh run.'
  static override description =
    'Restores every file the last run changed to its exact earlier bytes and mode, and removes files it created. ' +
    'A file changed again since faithh wrote it is skipped (exit 1) unless --force. Run it again to undo the run before.'

  static override examples = ['<%= config.bin %> undo', '<%= config.bin %> undo --force --json', '<%= config.bin %> undo --plan']
  static override enableJsonFlag = true
  static override flags = {
    force: Flags.boolean({description: 'restore files even if they changed since faithh wrote them'}),
    plan: Flags.boolean({description: 'revert every applied step of the last `faithh plan` (without it, a plan is undone one step at a time)'}),
  }

  async run(): Promise<UndoReport> {
    const {flags} = await this.parse(Undo)
    const {root} = await loadConfig({cwd: process.cwd()})
    // The last run is a plan step (or --plan): revert per step, with its commit (see src/core/plan/undo-plan.ts).
    const planUndo = await undoPlanSteps(root, {wholePlan: flags.plan, force: flags.force})
    if (planUndo) {
      for (const step of planUndo.plan.steps) {
        this.log(`undoing step ${step.step + 1} of plan ${planUndo.plan.id}: ${step.title}`)
        for (const file of step.files) this.log(`  ${file.action} ${file.rel}${file.reason ? ` — ${file.reason}` : ''}`)
        if (step.revertCommit) this.log(`  committed revert ${step.revertCommit.slice(0, 10)}`)
        if (step.note) this.log(`  note: ${step.note}`)
      }

      if (planUndo.files.some((file) => file.action === 'skipped')) process.exitCode = 1
      return planUndo
    }

    const report: UndoReport = flags.plan ? {files: []} : await undoLastRun(root, {force: flags.force})
    if (!report.run) {
      this.log('nothing to undo')
      return report
    }

    this.log(`undoing \`faithh ${report.run.command}\` (${report.run.startedAt})`)
    for (const file of report.files) this.log(`  ${file.action} ${file.rel}${file.reason ? ` — ${file.reason}` : ''}`)
    if (report.files.length === 0) this.log('  (the run changed no files)')
    if (report.files.some((file) => file.action === 'skipped')) process.exitCode = 1
    return report
  }
}
