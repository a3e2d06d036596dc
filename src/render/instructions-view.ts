import type {InstructionsReport} from '../core/instructions/fit.js'
import type {Style} from './style.js'

/**
 * What the person running faithh should know about the project instructions in the prompt: which
 * files (one dim line), and as warnings what was cut, left out or skipped and why.
 */
export function describeInstructions(report: InstructionsReport, style: Style): string[] {
  const lines: string[] = []
  if (report.files.length > 0) {
    lines.push(style.dim(`project instructions: ${report.files.map((file) => file.path).join(', ')} (~${report.tokens} tokens)`))
  }

  if (report.truncated) {
    const what = [...report.files.filter((file) => file.truncated).map((file) => `${file.path} truncated`), ...report.omitted.map((rel) => `${rel} left out`)]
    lines.push(style.yellow(`warning: project instructions cut to the ${report.budget}-token budget (instructions.maxTokens): ${what.join(', ')}`))
  }

  for (const skip of report.skipped) lines.push(style.yellow(`warning: project instructions ${skip.path} skipped: ${skip.reason}`))
  return lines
}
