import {Flags} from '@oclif/core'

import {FaithhCommand} from '../cli/faithh-command.js'
import {projectRoot} from '../core/config/load.js'
import {DEFAULT_MODEL} from '../core/config/schema.js'
import {initProject, type InitReport} from '../core/init/init-project.js'
import {formatInitReport} from '../render/init-report.js'
import {styleFor} from '../render/style.js'

export default class Init extends FaithhCommand {
  static override summary = 'Write a starter AGENTS.md and .faithh/config.json from what is in the project.'
  static override description =
    'Finds the package manager (lockfiles), the install, test, build, lint and type-check commands (package.json scripts, pyproject.toml, ' +
    'Makefile targets, Cargo, Go), the languages, the top-level layout and the generated folders, and writes them down. ' +
    'An existing file is kept unless --force: then AGENTS.md is replaced (`faithh undo` brings the old one back) and the config only gets ' +
    'the keys it lacks. Running it again changes nothing. Exits 0 whether it wrote files or found them already there; 2 when --force ' +
    'meets a config it cannot parse.'

  static override examples = ['<%= config.bin %> init', '<%= config.bin %> init --dry-run', '<%= config.bin %> init --force --json']
  static override enableJsonFlag = true
  static override flags = {
    force: Flags.boolean({description: 'replace an existing AGENTS.md, and add missing keys to an existing config (its values are kept)'}),
    'dry-run': Flags.boolean({description: 'print what would be written, and write nothing'}),
  }

  async run(): Promise<InitReport> {
    const {flags} = await this.parse(Init)
    const root = await projectRoot(process.cwd())
    const model = process.env.FAITHH_MODEL?.trim() || DEFAULT_MODEL
    const report = await initProject(root, {force: flags.force, dryRun: flags['dry-run'], model})
    if (!this.jsonEnabled()) this.log(formatInitReport(report, styleFor(process.stdout)))
    return report
  }
}
