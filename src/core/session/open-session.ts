import type {Confirmer} from '../access/confirm.js'
import type {Workspace} from '../agent/workspace.js'
import {ChatSession} from './chat-session.js'
import {SessionError, SessionStore} from './store.js'

export interface OpenSessionOptions {
  confirmer: Confirmer
  /** Continue a saved session: its id, or true for the most recently used one. */
  resume?: string | true
  /** A model given explicitly (flag) wins over the one a resumed session used. */
  model?: string
}

/** A new session, or a saved one to continue (`faithh chat --resume [id]`, the web UI's session list). */
export async function openChatSession(workspace: Workspace, {confirmer, resume, model}: OpenSessionOptions): Promise<ChatSession> {
  const store = new SessionStore(workspace.root)
  if (resume === undefined) return new ChatSession(workspace, store, store.create(workspace.llm.model), confirmer)
  const state = resume === true ? await store.latest() : await store.load(resume)
  if (!state) throw new SessionError('there is no saved session to resume yet', {hint: 'start one with `faithh chat`'})
  if (model) state.model = model
  return new ChatSession(workspace, store, state, confirmer)
}
