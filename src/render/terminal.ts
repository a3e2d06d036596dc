import type {AgentEvent} from '../core/agent/events.js'
import type {ToolFailureKind} from '../core/tools/tool.js'
import {describeInstructions} from './instructions-view.js'
import {styleFor} from './style.js'

/** Shown before a failed tool call's line; a plain failure needs no label beyond ✗. */
export const FAILURE_LABELS: Record<ToolFailureKind, string> = {
  invalid_arguments: 'invalid call',
  not_found: 'not found',
  denied: 'denied',
  needs_approval: 'needs approval',
  timeout: 'timed out',
  failed: '',
}

export type EventSink = (event: AgentEvent) => void

/**
 * Human output: the answer streams to stdout; tool activity and warnings go to stderr so that
 * `faithh ask … > answer.md` captures only the answer.
 */
export function terminalRenderer(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): EventSink {
  const style = styleFor(stderr)
  let textOpen = false
  // Once per run: a chat turn, a fix attempt or a plan step starts again with the same instructions.
  let instructionsShown = false
  const endText = () => {
    if (textOpen) stdout.write('\n')
    textOpen = false
  }

  return (event) => {
    switch (event.type) {
      case 'start':
        if (event.instructions && !instructionsShown) {
          for (const line of describeInstructions(event.instructions, style)) stderr.write(line + '\n')
          instructionsShown = true
        }

        if (event.toolMode === 'text') {
          const dialect = event.dialect ? ` (${event.dialect} format)` : ''
          stderr.write(style.dim(`${event.model} has no native tool support; describing tools in the prompt${dialect}\n`))
        }

        break
      case 'text':
        stdout.write(event.delta)
        textOpen = !event.delta.endsWith('\n')
        break
      case 'tool_call':
        endText()
        stderr.write(style.cyan(`› ${event.name}`) + style.dim(` ${summarizeArgs(event.arguments)}`) + '\n')
        // What faithh fixed to read the call, dimly: useful when a model keeps writing it wrong.
        if (event.repairs?.length) stderr.write(style.dim(`  repaired: ${event.repairs.join('; ')}`) + '\n')
        break
      case 'tool_result': {
        const line = event.summary ?? event.output.split('\n', 1)[0] ?? ''
        const mark = event.ok ? style.green('  ✓') : style.red('  ✗')
        const label = event.kind ? FAILURE_LABELS[event.kind] : ''
        stderr.write(`${mark} ${label ? style.yellow(`[${label}]`) + ' ' : ''}${style.dim(truncate(line, 100))}\n`)
        break
      }

      case 'usage':
        if (event.promptTokens >= event.numCtx * 0.9) {
          stderr.write(
            style.yellow(`warning: prompt used ${event.promptTokens} of ${event.numCtx} context tokens; raise --num-ctx or ask a narrower question\n`),
          )
        }

        break
      case 'final':
        endText()
        break
      case 'error':
        endText()
        stderr.write(style.red(`error: ${event.message}\n`))
        break
    }
  }
}

/** JSON lines: one event per line on stdout, for scripts. */
export function jsonLinesRenderer(stdout: NodeJS.WriteStream = process.stdout): EventSink {
  return (event) => {
    stdout.write(JSON.stringify(event) + '\n')
  }
}

function summarizeArgs(args: Record<string, unknown>): string {
  const parts = Object.entries(args).map(([key, value]) => {
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    return `${key}=${truncate(text.replaceAll('\n', '⏎'), 60)}`
  })
  return parts.join(' ')
}

function truncate(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text
}
