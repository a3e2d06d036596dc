import {mkdir, readdir, readFile} from 'node:fs/promises'
import path from 'node:path'
import {z} from 'zod'

import {FaithhError, type FaithhErrorOptions} from '../errors.js'
import type {ChatMessage} from '../llm/client.js'
import {atomicWrite} from '../tools/atomic-write.js'
import {timestampId} from '../timestamp-id.js'

/** Where chat sessions live, relative to the project root (faithh's state: tools never write here). */
export const SESSIONS_DIR = path.join('.faithh', 'sessions')

const ID_PATTERN = /^[\w-]{1,64}$/

const messageSchema = z.looseObject({role: z.string(), content: z.string()})

const sessionSchema = z.object({
  version: z.literal(1),
  id: z.string().regex(ID_PATTERN),
  createdAt: z.string(),
  updatedAt: z.string(),
  model: z.string(),
  /** The first thing the user said, cut short: what `GET /api/sessions` and the web UI list. */
  title: z.string(),
  /** Turns the user has sent, compacted ones included: journal runs are named after them. */
  turns: z.number().int().min(0),
  messages: z.array(messageSchema),
  /**
   * The last request's prompt size as Ollama counted it, and how many messages it covered: the best
   * estimate of the next prompt until something changes the history in place (compaction).
   */
  usage: z.object({promptTokens: z.number(), completionTokens: z.number(), messageCount: z.number().int()}).optional(),
  /** Said to the model with the next message (e.g. that the user undid its last change). */
  pendingNotes: z.array(z.string()).default([]),
})

export type SessionState = Omit<z.infer<typeof sessionSchema>, 'messages'> & {messages: ChatMessage[]}

export interface SessionSummary {
  id: string
  title: string
  model: string
  turns: number
  createdAt: string
  updatedAt: string
}

/** A saved session that is missing or unreadable (exit 2). */
export class SessionError extends FaithhError<'session'> {
  override name = 'SessionError'

  constructor(message: string, options?: FaithhErrorOptions) {
    super('session', message, options)
  }
}

/**
 * Sessions on disk, one JSON file each, written atomically after every turn: a crash or a closed
 * terminal loses at most the turn in progress, and `faithh chat --resume` goes on from the file.
 */
export class SessionStore {
  readonly dir: string

  constructor(readonly root: string) {
    this.dir = path.join(root, SESSIONS_DIR)
  }

  create(model: string): SessionState {
    const now = new Date()
    return {
      version: 1,
      id: timestampId(now),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      model,
      title: '',
      turns: 0,
      messages: [],
      pendingNotes: [],
    }
  }

  async save(state: SessionState): Promise<void> {
    state.updatedAt = new Date().toISOString()
    await mkdir(this.dir, {recursive: true})
    await atomicWrite(path.join(this.dir, `${state.id}.json`), JSON.stringify(state, null, 1) + '\n')
  }

  async load(id: string): Promise<SessionState> {
    if (!ID_PATTERN.test(id)) throw new SessionError(`"${id}" is not a session id`, {hint: '`faithh chat --list` shows them'})
    const text = await readFile(path.join(this.dir, `${id}.json`), 'utf8').catch(() => undefined)
    if (text === undefined) throw new SessionError(`no session ${id} in ${SESSIONS_DIR}`, {hint: '`faithh chat --list` shows them'})
    return parseSessionFile(text, `${SESSIONS_DIR}/${id}.json`)
  }

  /** The most recently updated session, if any. */
  async latest(): Promise<SessionState | undefined> {
    const [newest] = await this.list()
    return newest ? this.load(newest.id) : undefined
  }

  /** Newest first; files that are not sessions are skipped. */
  async list(): Promise<SessionSummary[]> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json'))
    const sessions: SessionSummary[] = []
    for (const name of names) {
      try {
        const {id, title, model, turns, createdAt, updatedAt} = parseSessionFile(await readFile(path.join(this.dir, name), 'utf8'), name)
        sessions.push({id, title, model, turns, createdAt, updatedAt})
      } catch {
        // A hand-edited or foreign file is not a reason to hide the others.
      }
    }

    return sessions.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id))
  }
}

export function isSessionId(id: string): boolean {
  return ID_PATTERN.test(id)
}

function parseSessionFile(text: string, where: string): SessionState {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new SessionError(`${where} is not valid JSON (${(error as Error).message})`)
  }

  const parsed = sessionSchema.safeParse(json)
  if (!parsed.success) throw new SessionError(`${where} is not a faithh session: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`)
  return parsed.data as SessionState
}
