import type {AgentEvent, AgentOutcome} from '../core/agent/events.js'
import {ExitCode, exitCodeForError} from './exit-codes.js'

type AnyEvent = {type: string; code?: string; message?: string; kind?: string}

export interface Driven<R> {
  value: R
  /** The last `error` event seen, if any. */
  error?: {code: string; message: string}
  /**
   * A tool call needed a confirmation nobody could give (no terminal, no --yes). The run may still
   * have answered, but without something it wanted: scripts must see exit 6.
   */
  needsApproval: boolean
}

/**
 * Drives an event stream to its end: hands each event to the renderer and turns Ctrl-C into a clean
 * cancel through the AbortSignal (a second Ctrl-C exits at once).
 */
export async function driveEvents<E extends AnyEvent, R>(start: (signal: AbortSignal) => AsyncGenerator<E, R>, sink: (event: E) => void): Promise<Driven<R>> {
  const controller = new AbortController()
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(ExitCode.cancelled)
    controller.abort()
  }

  process.on('SIGINT', onSigint)
  let error: Driven<R>['error']
  let needsApproval = false
  try {
    const events = start(controller.signal)
    for (;;) {
      const next = await events.next()
      if (next.done) return {value: next.value, error, needsApproval}
      const event = next.value
      if (event.type === 'error') error = {code: event.code ?? 'failure', message: event.message ?? ''}
      if (event.type === 'tool_result' && event.kind === 'needs_approval') needsApproval = true
      sink(event)
    }
  } finally {
    process.off('SIGINT', onSigint)
  }
}

/** driveEvents for a plain agent run, with the outcome mapped to an exit code. */
export async function driveAgent(
  start: (signal: AbortSignal) => AsyncGenerator<AgentEvent, AgentOutcome>,
  sink: (event: AgentEvent) => void,
): Promise<{outcome: AgentOutcome; exitCode: number; error?: string; needsApproval: boolean}> {
  const {value: outcome, error, needsApproval} = await driveEvents(start, sink)
  const exitCode = outcome.status === 'done' ? ExitCode.ok : exitCodeForError(error?.code ?? outcome.status)
  return {outcome, exitCode, error: error?.message, needsApproval}
}
