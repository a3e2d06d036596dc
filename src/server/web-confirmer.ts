import {randomUUID} from 'node:crypto'

import type {ConfirmAnswer, Confirmer, ConfirmRequest} from '../core/access/confirm.js'
import type {ConfirmEvent} from '../core/session/events.js'

interface Pending {
  finish(answer: ConfirmAnswer): void
}

/**
 * Confirmations asked in the browser: the request goes out on the turn's event stream with an id,
 * and the agent waits until `POST /api/confirm/:id` answers. Nobody answering in time, or the page
 * going away, is a refusal: nothing is ever approved by default.
 */
export class WebConfirmations {
  private readonly pending = new Map<string, Pending>()

  constructor(private readonly timeoutMs: number) {}

  /** A Confirmer for one turn: it asks on that turn's stream. */
  confirmer(send: (event: ConfirmEvent) => void, signal: AbortSignal): Confirmer {
    const timeoutMs = this.timeoutMs
    return {
      interactive: true,
      confirm: (request: ConfirmRequest) =>
        new Promise<ConfirmAnswer>((resolve) => {
          const id = randomUUID()
          const finish = (answer: ConfirmAnswer) => {
            clearTimeout(timer)
            signal.removeEventListener('abort', cancelled)
            this.pending.delete(id)
            resolve(answer)
          }

          const cancelled = () => finish({approved: false, reason: 'the web page that was asked went away'})
          const timer = setTimeout(() => finish({approved: false, reason: `nobody answered in the web UI within ${Math.round(timeoutMs / 1000)} s`}), timeoutMs)
          if (signal.aborted) return cancelled()
          signal.addEventListener('abort', cancelled, {once: true})
          this.pending.set(id, {finish})
          send({type: 'confirm', id, request, timeoutMs})
        }),
    }
  }

  /** False when there is no such question (answered already, timed out, or never asked). */
  answer(id: string, answer: ConfirmAnswer): boolean {
    const pending = this.pending.get(id)
    if (!pending) return false
    pending.finish(answer)
    return true
  }
}
