import type {AgentEvent, AgentOutcome} from '../core/agent/events.js'
import {jsonLinesRenderer, terminalRenderer, type EventSink} from '../render/terminal.js'
import {ExitCode, exitCodeForError} from './exit-codes.js'

/**
 * Drives one agent run to the end: renders its events, turns Ctrl-C into a clean cancel (a second
 * Ctrl-C exits at once), and maps the outcome to an exit code.
 */
export async function driveAgent(
  start: (signal: AbortSignal) => AsyncGenerator<AgentEvent, AgentOutcome>,
  {json}: {json: boolean},
): Promise<{outcome: AgentOutcome; exitCode: number}> {
  const sink: EventSink = json ? jsonLinesRenderer() : terminalRenderer()
  const controller = new AbortController()
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(ExitCode.cancelled)
    controller.abort()
  }

  process.on('SIGINT', onSigint)
  let errorCode: string | undefined
  try {
    const events = start(controller.signal)
    for (;;) {
      const next = await events.next()
      if (next.done) {
        const outcome = next.value
        const exitCode = outcome.status === 'done' ? ExitCode.ok : exitCodeForError(errorCode ?? outcome.status)
        return {outcome, exitCode}
      }

      if (next.value.type === 'error') errorCode = next.value.code
      sink(next.value)
    }
  } finally {
    process.off('SIGINT', onSigint)
  }
}
