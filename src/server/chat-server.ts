import {randomBytes} from 'node:crypto'
import {createServer, type IncomingMessage, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {z} from 'zod'

import {refuseAll} from '../core/access/confirm.js'
import type {Workspace} from '../core/agent/workspace.js'
import {FaithhError, isFaithhError, type FaithhErrorCode} from '../core/errors.js'
import type {ChatSession} from '../core/session/chat-session.js'
import {openChatSession} from '../core/session/open-session.js'
import {SessionStore} from '../core/session/store.js'
import {openEventStream} from './event-stream.js'
import {createRequestGuard, tokenCookieName} from './guard.js'
import {readWebFile} from './static-files.js'
import {WebConfirmations} from './web-confirmer.js'

export interface ChatServerOptions {
  workspace: Workspace
  host: string
  /** 0 picks a free port. */
  port: number
  /** How long a confirmation waits for an answer in the browser before it is refused. */
  confirmTimeoutMs: number
  token?: string
}

export interface ChatServer {
  /** The server's origin, e.g. http://127.0.0.1:5557 */
  origin: string
  /** What to open in a browser: the origin with the token. */
  pageUrl: string
  token: string
  close(): Promise<void>
}

const MAX_BODY_BYTES = 1024 * 1024
const SESSION_ID = /^[\w-]{1,64}$/

const chatRequestSchema = z.object({
  message: z.string().trim().min(1).max(200_000),
  agent_mode: z.boolean().default(true),
  use_rag: z.boolean().default(false),
  session_id: z.string().regex(SESSION_ID).nullish(),
  model: z.string().min(1).max(200).nullish(),
})

const confirmAnswerSchema = z.object({approved: z.boolean(), remember: z.boolean().default(false), reason: z.string().max(2000).optional()})

/** A request the API turns down with this status. */
class HttpError extends FaithhError<'usage'> {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('usage', message)
  }
}

/** A missing session is the client's mistake (404); Ollama failing is an upstream one (502). */
const STATUS_BY_CODE: Partial<Record<FaithhErrorCode, number>> = {
  session: 404,
  unreachable: 502,
  model_missing: 502,
  no_tools: 502,
  ollama_error: 502,
  aborted: 502,
}

function statusOf(error: unknown): number {
  if (!isFaithhError(error)) return 500
  return (error as Partial<HttpError>).status ?? STATUS_BY_CODE[error.code] ?? 500
}

/**
 * `faithh serve`: the web UI and its JSON API on node:http. Each chat turn is the same session turn
 * the terminal runs, its events streamed as Server-Sent Events; confirmations go out on that stream
 * and come back through POST /api/confirm/:id. See guard.ts for who may connect.
 */
export async function startChatServer(options: ChatServerOptions): Promise<ChatServer> {
  const {workspace, confirmTimeoutMs} = options
  const token = options.token ?? randomBytes(24).toString('base64url')
  const store = new SessionStore(workspace.root)
  const confirmations = new WebConfirmations(confirmTimeoutMs)
  const live = new Map<string, ChatSession>()
  let guard: ReturnType<typeof createRequestGuard> | undefined

  async function sessionFor(id: string | null | undefined): Promise<ChatSession> {
    if (id && live.has(id)) return live.get(id)!
    const session = await openChatSession(workspace, {confirmer: refuseAll, resume: id ?? undefined})
    live.set(session.id, session)
    return session
  }

  async function chat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = parse(chatRequestSchema, await readJson(req))
    const session = await sessionFor(body.session_id)
    if (session.busy) throw new HttpError(409, `session ${session.id} is still answering the last message`)
    if (body.model && body.model !== session.llm.model) await session.useModel(body.model)

    const stream = openEventStream(res)
    const controller = new AbortController()
    stream.onClose(() => controller.abort())
    const confirmer = confirmations.confirmer((event) => stream.send(event), controller.signal)
    try {
      for await (const event of session.turn(body.message, {signal: controller.signal, agentMode: body.agent_mode, useRag: body.use_rag, confirmer})) {
        stream.send(event)
      }
    } catch (error) {
      stream.send({type: 'error', code: 'ollama_error', message: (error as Error).message})
    } finally {
      stream.end()
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET'
    const {pathname} = url
    if (method === 'POST' && pathname === '/api/agent/chat') return chat(req, res)

    let match = /^\/api\/confirm\/([\w-]{1,64})$/.exec(pathname)
    if (method === 'POST' && match) {
      const answer = parse(confirmAnswerSchema, await readJson(req))
      const found = confirmations.answer(
        match[1]!,
        answer.approved ? {approved: true, remember: answer.remember} : {approved: false, reason: answer.reason?.trim() || undefined},
      )
      if (!found) throw new HttpError(404, 'no such confirmation is waiting (answered already, or it timed out)')
      return sendJson(res, 200, {ok: true})
    }

    if (method === 'GET' && pathname === '/api/sessions') return sendJson(res, 200, {sessions: await store.list()})
    match = /^\/api\/sessions\/([\w-]{1,64})$/.exec(pathname)
    if (method === 'GET' && match) {
      const {id, model, title, turns, createdAt, updatedAt, messages} = live.get(match[1]!)?.state ?? (await store.load(match[1]!))
      return sendJson(res, 200, {id, model, title, turns, createdAt, updatedAt, messages})
    }

    match = /^\/api\/sessions\/([\w-]{1,64})\/undo$/.exec(pathname)
    if (method === 'POST' && match) {
      const session = await sessionFor(match[1]!)
      if (session.busy) throw new HttpError(409, `session ${session.id} is still answering`)
      return sendJson(res, 200, await session.undo())
    }

    if (method === 'GET' && pathname === '/api/models') {
      return sendJson(res, 200, {models: await workspace.llm.listModels(), current: workspace.llm.model})
    }

    if (pathname.startsWith('/api/')) throw new HttpError(404, `no ${method} ${pathname} here`)
    const file = method === 'GET' || method === 'HEAD' ? await readWebFile(pathname) : undefined
    if (!file) throw new HttpError(404, 'not found')
    // The page's own requests for app.js and style.css cannot carry a header: a strict, http-only cookie does.
    if (url.searchParams.has('token')) res.setHeader('Set-Cookie', `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`)
    res.writeHead(200, {'Content-Type': file.type})
    res.end(method === 'HEAD' ? undefined : file.body)
  }

  const server = createServer((req, res) => {
    securityHeaders(res)
    const verdict = guard!(req)
    if (!verdict.ok) return sendJson(res, verdict.status, {error: verdict.message})
    const url = new URL(req.url ?? '/', 'http://x')
    route(req, res, url).catch((error: unknown) => {
      const status = statusOf(error)
      if (res.headersSent) return res.end()
      sendJson(res, status, {error: (error as Error).message})
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const {port} = server.address() as AddressInfo
  guard = createRequestGuard({token, host: options.host, port})
  const shownHost = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host
  const origin = `http://${shownHost}:${port}`
  return {
    origin,
    pageUrl: `${origin}/?token=${token}`,
    token,
    async close() {
      await Promise.all([...live.values()].map((session) => session.close()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

function securityHeaders(res: ServerResponse): void {
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('X-Content-Type-Options', 'nosniff')
  // The token is in the page's URL: never send it on as a Referer. No framing: approve buttons must not be clickjacked.
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  )
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new HttpError(415, 'send JSON, with Content-Type: application/json')
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request body too large')
    chunks.push(chunk as Buffer)
  }

  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new HttpError(400, 'the body is not valid JSON')
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  throw new HttpError(400, `invalid request: ${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unexpected shape'}`)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {'Content-Type': 'application/json; charset=utf-8'})
  res.end(JSON.stringify(body))
}
