import type {SandboxDiagnosis} from '../core/sandbox/diagnose.js'
import type {styleFor} from './style.js'

/** doctor's lines about the sandbox: what runs commands here, what it isolates, and the live check. */
export function formatSandboxDiagnosis(diagnosis: SandboxDiagnosis, s: ReturnType<typeof styleFor>): string[] {
  if (!diagnosis.enabled) {
    return [`${s.yellow('!')} no sandbox: ${diagnosis.reason} — commands that are not read-only ask first, and are refused without a terminal`]
  }

  const name = diagnosis.backend === 'bwrap' ? `bubblewrap${diagnosis.version ? ` ${diagnosis.version}` : ''}` : 'sandbox-exec'
  const escaped = diagnosis.checks.filter((check) => !check.contained)
  const lines = [`${escaped.length === 0 ? s.green('✓') : s.red('✗')} sandbox: ${name} (${diagnosis.executable}) runs every command`]
  for (const statement of diagnosis.isolates) lines.push(s.dim(`    ${statement}`))
  if (diagnosis.processLimit.reason) lines.push(s.dim(`    (no process-count limit: ${diagnosis.processLimit.reason})`))
  if (escaped.length > 0) lines.push(s.red(`    NOT contained just now: ${escaped.map((check) => check.name).join(', ')}`))
  else if (diagnosis.checks.length > 0) lines.push(s.dim(`    checked just now, all refused: ${diagnosis.checks.map((check) => check.name).join(', ')}`))
  return lines
}
