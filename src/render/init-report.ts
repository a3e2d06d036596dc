import type {InitAction, InitReport} from '../core/init/init-project.js'
import type {Style} from './style.js'

const DONE: Record<InitAction, string> = {create: 'created', replace: 'replaced', merge: 'updated', unchanged: 'unchanged', keep: 'kept'}
const WOULD: Record<InitAction, string> = {create: 'would create', replace: 'would replace', merge: 'would update', unchanged: 'unchanged', keep: 'kept'}

/** `faithh init` for people: each file and what happened to it (with --dry-run, the contents), what was found, and hints. */
export function formatInitReport(report: InitReport, style: Style): string {
  const lines = [style.bold(`faithh init${report.dryRun ? ' --dry-run' : ''}: ${report.root}`)]
  for (const file of report.files) {
    const verb = (report.dryRun ? WOULD : DONE)[file.action]
    const colored = file.action === 'keep' || file.action === 'unchanged' ? style.dim(verb) : style.green(verb)
    lines.push(`  ${colored} ${file.path}${file.reason ? style.dim(` — ${file.reason}`) : ''}`)
    if (report.dryRun && file.content !== undefined && file.action !== 'unchanged') {
      lines.push(
        ...file.content
          .trimEnd()
          .split('\n')
          .map((line) => style.dim('  │ ') + line),
      )
    }
  }

  const {detected} = report
  const found = [
    detected.toolchains.map((toolchain) => `${toolchain.name} (${toolchain.evidence})`).join(', '),
    detected.languages
      .slice(0, 3)
      .map((language) => `${language.name} ${language.files}`)
      .join(', '),
    detected.commands.test ? `test: ${detected.commands.test[0]}` : '',
  ].filter(Boolean)
  if (found.length > 0) lines.push(`found: ${found.join(' · ')}`)
  for (const hint of report.hints) lines.push(style.yellow(`hint: ${hint}`))
  if (report.files.some((file) => file.path === 'AGENTS.md' && (file.action === 'create' || file.action === 'replace'))) {
    lines.push(style.dim('AGENTS.md goes into every prompt (within instructions.maxTokens): keep what an agent must know, in a few lines.'))
  }

  return lines.join('\n')
}
