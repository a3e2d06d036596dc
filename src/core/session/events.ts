import type {AgentEvent} from '../agent/events.js'
import type {ConfirmRequest} from '../access/confirm.js'

/**
 * What a chat turn reports: the agent's own events, unchanged, plus what the session adds around
 * them. The terminal, `--json` and the web UI consume this one stream.
 */
export type SessionEvent =
  | AgentEvent
  /** First event of every turn: which session this is (the web UI learns a new session's id here). */
  | {type: 'session'; id: string; model: string; turn: number}
  /** Older turns were shortened or summarised before this turn was sent. */
  | {type: 'compacted'; turns: number; summarised: boolean; numCtx: number; tokensBefore: number; tokensAfter: number; message: string}
  /** Something the user should know that is not the model's doing (e.g. retrieval was skipped). */
  | {type: 'notice'; message: string}

/** The web UI's confirmations travel on the same stream: the request, with an id to answer it by. */
export type ConfirmEvent = {type: 'confirm'; id: string; request: ConfirmRequest; timeoutMs: number}
