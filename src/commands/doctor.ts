import {Command} from '@oclif/core'

import {handleCommandError} from '../cli/errors.js'
import {ExitCode, exitCodeForError} from '../cli/exit-codes.js'
import {configFromFlags, modelFlags} from '../cli/flags.js'
import {openWorkspace} from '../core/agent/workspace.js'
import {diagnose, type DoctorReport} from '../core/llm/diagnose.js'
import {styleFor} from '../render/style.js'

export default class Doctor extends Command {
  static override summary = 'Check that Ollama is reachable and the configured model is ready for faithh.'
  static override description =
    'Checks the Ollama server, lists its models, checks the configured model is pulled and supports tools, and shows the context window faithh will request. ' +
    'Exit codes: 0 ready, 3 Ollama unreachable, 4 model not pulled, 1 other problems.'

  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --model llama3.1:8b --json']
  static override enableJsonFlag = true
  static override flags = modelFlags

  async run(): Promise<DoctorReport> {
    const {flags} = await this.parse(Doctor)
    let report: DoctorReport
    try {
      const workspace = await openWorkspace({cwd: process.cwd(), flags: configFromFlags(flags)})
      report = await diagnose(workspace.llm, workspace.config.host)
      if (!this.jsonEnabled()) this.log(renderReport(report, workspace.configFile))
    } catch (error) {
      handleCommandError(this, error)
    }

    if (!report.ok) {
      process.exitCode = exitCodeForError(report.problems[0]?.code ?? 'failure')
      if (!this.jsonEnabled()) this.exit(process.exitCode || ExitCode.failure)
    }

    return report
  }
}

function renderReport(report: DoctorReport, configFile?: string): string {
  const s = styleFor(process.stdout)
  const good = (text: string) => `${s.green('✓')} ${text}`
  const bad = (text: string) => `${s.red('✗')} ${text}`
  const lines = [s.dim(`config: ${configFile ?? 'defaults (no .faithh/config.json)'}`)]
  if (report.ollamaVersion) lines.push(good(`Ollama ${report.ollamaVersion} at ${report.host}`))
  if (report.models.length > 0) lines.push(s.dim(`  models: ${report.models.join(', ')}`))
  if (report.pulled) lines.push(good(`model ${report.model} is pulled`))
  if (report.toolMode === 'native') lines.push(good('native tool calls supported'))
  if (report.toolMode === 'text') {
    lines.push(`${s.yellow('!')} no native tool support: faithh will describe tools in the prompt (${report.dialect} format) and parse them from text`)
  }
  if (report.numCtx) {
    const max = report.contextLength ? ` (model maximum ${report.contextLength})` : ''
    lines.push(good(`context window: ${report.numCtx} tokens${max}`))
  }

  for (const problem of report.problems) lines.push(bad(problem.message))
  return lines.join('\n')
}
