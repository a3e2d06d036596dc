import {Command, Flags} from '@oclif/core'

import {handleCommandError} from '../cli/errors.js'
import {loadConfig} from '../core/config/load.js'
import {undoLastRun, type UndoReport} from '../core/changes/undo.js'

export default class Undo extends Command {
  static override summary = 'Revert the files changed by the last faithh run.'
  static override description =
    'Restores every file the last run changed to its exact earlier bytes and mode, and removes files it created. ' +
    'A file changed again since faithh wrote it is skipped (exit 1) unless --force. Run it again to undo the run before.'

  static override examples = ['<%= config.bin %> undo', '<%= config.bin %> undo --force --json']
  static override enableJsonFlag = true
  static override flags = {force: Flags.boolean({description: 'restore files even if they changed since faithh wrote them'})}

  async run(): Promise<UndoReport> {
    const {flags} = await this.parse(Undo)
    let report: UndoReport
    try {
      const {root} = await loadConfig({cwd: process.cwd()})
      report = await undoLastRun(root, {force: flags.force})
    } catch (error) {
      handleCommandError(this, error)
    }

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
