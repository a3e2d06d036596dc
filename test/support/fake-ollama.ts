/**
 * A fake Ollama that speaks the real HTTP protocol on a loopback port: NDJSON streaming /api/chat with
 * tool_calls, /api/show with capabilities and context length, /api/tags, /api/version, /api/embed and
 * Ollama's error bodies. Tests script the model's replies and assert on what faithh sent.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

export interface FakeModel {
  name: string
  /** Ollama's /api/show capabilities; default ["completion", "tools"]. */
  capabilities?: string[]
  contextLength?: number
  /** Embedding models answer /api/embed; default false. */
  embedding?: boolean
  /** /api/show details.family and general.architecture; default "qwen2". */
  family?: string
  /** /api/show details.families; default [family]. */
  families?: string[]
  /** /api/show template; default a minimal one that mentions .Tools only when the model has the tools capability. */
  template?: string
}

export interface FakeToolCall {
  name: string
  arguments: Record<string, unknown> | string
}

export interface FakeReply {
  /** Assistant text, streamed in `chunks` pieces (default: split into ~8-character pieces). */
  content?: string
  chunks?: string[]
  tool_calls?: FakeToolCall[]
  /** Answer with an Ollama error body instead. */
  error?: {status: number; message: string}
  done_reason?: string
  /** Wait before answering (to test cancellation and timeouts). */
  delayMs?: number
}

export interface ChatRequestBody {
  model: string
  messages: {role: string; content: string; tool_calls?: {function: {name: string; arguments: unknown}}[]; tool_name?: string}[]
  tools?: {type: string; function: {name: string; description: string; parameters: unknown}}[]
  stream?: boolean
  options?: Record<string, unknown>
  format?: unknown
  keep_alive?: unknown
}

export type ChatScript = FakeReply[] | ((request: ChatRequestBody, index: number) => FakeReply)

export interface RecordedRequest {
  method: string
  path: string
  body: unknown
}

export interface FakeOllamaOptions {
  models?: FakeModel[]
  chat?: ChatScript
}

/** `await using ollama = await startFakeOllama()` closes it at the end of the block. */
export interface FakeOllama extends AsyncDisposable {
  url: string
  /** Every request received, in order. */
  requests: RecordedRequest[]
  /** Just the /api/chat bodies. */
  chats(): ChatRequestBody[]
  /** Replace the chat script (resets the reply counter). */
  script(chat: ChatScript): void
  close(): Promise<void>
}

const DEFAULT_MODELS: FakeModel[] = [
  {name: 'qwen2.5-coder:7b', contextLength: 32_768},
  {name: 'nomic-embed-text:latest', capabilities: ['embedding'], contextLength: 2048, embedding: true},
]

export async function startFakeOllama(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
  const models = options.models ?? DEFAULT_MODELS
  let chat: ChatScript = options.chat ?? []
  let chatIndex = 0
  const requests: RecordedRequest[] = []

  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req)
    const path = (req.url ?? '/').split('?')[0]!
    requests.push({method: req.method ?? 'GET', path, body})
    try {
      await route(req.method ?? 'GET', path, body, res)
    } catch (error) {
      sendJson(res, 500, {error: `fake ollama: ${(error as Error).message}`})
    }
  })

  async function route(method: string, path: string, body: any, res: ServerResponse): Promise<void> {
    if (method === 'GET' && path === '/') return sendText(res, 200, 'Ollama is running')
    if (method === 'GET' && path === '/api/version') return sendJson(res, 200, {version: '0.12.6'})
    if (method === 'GET' && path === '/api/tags') return sendJson(res, 200, {models: models.map(tagEntry)})
    if (method === 'POST' && path === '/api/show') {
      const model = findModel(models, body?.model ?? body?.name)
      if (!model) return sendJson(res, 404, {error: `model '${body?.model ?? body?.name}' not found`})
      return sendJson(res, 200, showEntry(model))
    }

    if (method === 'POST' && path === '/api/embed') {
      const model = findModel(models, body?.model)
      if (!model) return sendJson(res, 404, {error: `model "${body?.model}" not found, try pulling it first`})
      if (!model.embedding) return sendJson(res, 400, {error: `"${model.name}" does not support embeddings`})
      const inputs: string[] = Array.isArray(body.input) ? body.input : [body.input]
      return sendJson(res, 200, {
        model: model.name,
        embeddings: inputs.map(embedText),
        total_duration: 1000,
        load_duration: 10,
        prompt_eval_count: inputs.length,
      })
    }

    if (method === 'POST' && path === '/api/chat') return handleChat(body as ChatRequestBody, res)
    return sendText(res, 404, '404 page not found')
  }

  async function handleChat(body: ChatRequestBody, res: ServerResponse): Promise<void> {
    const model = findModel(models, body.model)
    if (!model) return sendJson(res, 404, {error: `model "${body.model}" not found, try pulling it first`})
    const capabilities = model.capabilities ?? ['completion', 'tools']
    if (body.tools?.length && !capabilities.includes('tools')) {
      return sendJson(res, 400, {error: `registry.ollama.ai/library/${model.name} does not support tools`})
    }

    const index = chatIndex++
    const reply: FakeReply = typeof chat === 'function' ? chat(body, index) : (chat[index] ?? {content: `(fake ollama: no scripted reply #${index + 1})`})
    if (reply.delayMs) await sleep(reply.delayMs)
    if (reply.error) return sendJson(res, reply.error.status, {error: reply.error.message})

    const promptTokens = Math.ceil(JSON.stringify(body.messages ?? []).length / 4) + Math.ceil(JSON.stringify(body.tools ?? []).length / 4)
    const content = reply.content ?? ''
    const toolCalls = reply.tool_calls?.map((call) => ({function: {name: call.name, arguments: call.arguments}}))
    const final = {
      model: body.model,
      created_at: new Date().toISOString(),
      message: {role: 'assistant', content: ''},
      done: true,
      done_reason: reply.done_reason ?? 'stop',
      total_duration: 1_000_000,
      load_duration: 100_000,
      prompt_eval_count: promptTokens,
      prompt_eval_duration: 500_000,
      eval_count: Math.ceil(content.length / 4) + 1,
      eval_duration: 400_000,
    }

    if (body.stream === false) {
      return sendJson(res, 200, {...final, message: {role: 'assistant', content, ...(toolCalls ? {tool_calls: toolCalls} : {})}})
    }

    res.writeHead(200, {'Content-Type': 'application/x-ndjson'})
    const line = (message: object) => res.write(JSON.stringify({model: body.model, created_at: new Date().toISOString(), message, done: false}) + '\n')
    for (const piece of reply.chunks ?? splitContent(content)) line({role: 'assistant', content: piece})
    if (toolCalls) line({role: 'assistant', content: '', tool_calls: toolCalls})
    res.end(JSON.stringify(final) + '\n')
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    chats: () => requests.filter((r) => r.path === '/api/chat').map((r) => r.body as ChatRequestBody),
    script(next) {
      chat = next
      chatIndex = 0
    },
    close,
    [Symbol.asyncDispose]: close,
  }
}

function findModel(models: FakeModel[], name: unknown): FakeModel | undefined {
  if (typeof name !== 'string') return undefined
  const full = name.includes(':') ? name : `${name}:latest`
  return models.find((m) => m.name === name || m.name === full)
}

function tagEntry(model: FakeModel) {
  return {
    name: model.name,
    model: model.name,
    modified_at: '2026-11-01T10:00:00.000Z',
    size: 4_683_087_332,
    digest: 'dae161e27b0e',
    details: {parent_model: '', format: 'gguf', family: 'qwen2', families: ['qwen2'], parameter_size: '7.6B', quantization_level: 'Q4_K_M'},
  }
}

function showEntry(model: FakeModel) {
  const capabilities = model.capabilities ?? ['completion', 'tools']
  const family = model.family ?? 'qwen2'
  return {
    license: 'Apache License',
    modelfile: `FROM ${model.name}`,
    parameters: 'stop "<|im_end|>"',
    template: model.template ?? (capabilities.includes('tools') ? '{{- if .Tools }}tools{{ end }}' : '{{ .Prompt }}'),
    details: {parent_model: '', format: 'gguf', family, families: model.families ?? [family], parameter_size: '7.6B', quantization_level: 'Q4_K_M'},
    model_info: {'general.architecture': family, ...(model.contextLength ? {[`${family}.context_length`]: model.contextLength} : {})},
    capabilities,
    modified_at: '2026-11-01T10:00:00.000Z',
  }
}

function splitContent(content: string): string[] {
  const pieces: string[] = []
  for (let i = 0; i < content.length; i += 8) pieces.push(content.slice(i, i + 8))
  return pieces
}

/**
 * Deterministic embedding: hashed character trigrams and words into 64 dimensions, L2-normalised,
 * so texts that share words and fragments land near each other.
 */
export function embedText(text: string): number[] {
  const dims = 64
  const vector = Array.from({length: dims}, () => 0)
  const lower = text.toLowerCase()
  const add = (token: string, weight: number) => {
    let hash = 2166136261
    for (let i = 0; i < token.length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 16777619)
    vector[(hash >>> 0) % dims]! += weight
  }

  for (const word of lower.match(/[a-z0-9_]+/g) ?? []) add(word, 2)
  for (let i = 0; i + 3 <= lower.length; i++) add(lower.slice(i, i + 3), 1)
  const norm = Math.sqrt(vector.reduce((sum, v) => sum + v * v, 0)) || 1
  return vector.map((v) => v / norm)
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {'Content-Type': 'application/json; charset=utf-8'})
  res.end(JSON.stringify(body))
}

function sendText(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {'Content-Type': 'text/plain; charset=utf-8'})
  res.end(body)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
