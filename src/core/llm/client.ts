import {Ollama, type Message, type ShowResponse, type Tool as OllamaTool} from 'ollama'

import type {OllamaToolSpec} from '../tools/tool.js'
import {LlmError, toLlmError} from './errors.js'
import {loggedFetch} from './wire-log.js'

export type ChatMessage = Message

export interface ModelInfo {
  name: string
  /** The model's trained context length from /api/show, when Ollama reports it. */
  contextLength?: number
  /** Whether Ollama will accept `tools` for this model (capability "tools"). */
  supportsTools: boolean
  capabilities: string[]
  /** details.family ("qwen2", "llama", "gemma3"…), or the architecture when details has none. */
  family?: string
  /** details.families plus the family and architecture, lower-cased, without duplicates. */
  families: string[]
  /** The model's Ollama prompt template: its markers tell which tool-call format the model was trained on. */
  template: string
}

export interface NativeToolCall {
  name: string
  arguments: Record<string, unknown>
}

/** What one streamed chat turn yields, in order: text deltas, tool calls, then `done` once. */
export type ChatChunk =
  | {type: 'text'; delta: string}
  | {type: 'tool_calls'; calls: NativeToolCall[]}
  | {type: 'done'; promptTokens: number; completionTokens: number; doneReason: string}

export interface LlmClientOptions {
  host: string
  model: string
  /** Wanted context window; capped by the model's own length. */
  numCtx: number
  temperature?: number
  keepAlive?: string | number
}

export interface ChatRequest {
  messages: ChatMessage[]
  tools?: OllamaToolSpec[]
  /** Structured output: a JSON schema (or "json") that Ollama constrains the reply to. */
  format?: 'json' | Record<string, unknown>
  signal?: AbortSignal
}

/** The one place faithh talks to Ollama. */
export class LlmClient {
  private readonly ollama: Ollama
  private info?: Promise<ModelInfo>

  constructor(readonly options: LlmClientOptions) {
    this.ollama = new Ollama({host: options.host, fetch: loggedFetch()})
  }

  get model(): string {
    return this.options.model
  }

  /** /api/show, once per client. */
  modelInfo(): Promise<ModelInfo> {
    this.info ??= this.guard(async () => readModelInfo(this.options.model, await this.ollama.show({model: this.options.model})))
    return this.info
  }

  /**
   * The num_ctx sent with every request. Ollama's default window (2k–4k) silently drops the start of
   * longer prompts, so we always send one: the configured size, capped by what the model supports.
   */
  async contextWindow(): Promise<number> {
    const {contextLength} = await this.modelInfo()
    return contextLength ? Math.min(this.options.numCtx, contextLength) : this.options.numCtx
  }

  async listModels(): Promise<{name: string; size: number}[]> {
    const {models} = await this.guard(() => this.ollama.list())
    return models.map((m) => ({name: m.name, size: m.size}))
  }

  async version(): Promise<string> {
    return (await this.guard(() => this.ollama.version())).version
  }

  async *chat({messages, tools, format, signal}: ChatRequest): AsyncGenerator<ChatChunk> {
    if (signal?.aborted) throw new LlmError('aborted', 'cancelled')
    const numCtx = await this.contextWindow()
    const options: Record<string, unknown> = {num_ctx: numCtx}
    if (this.options.temperature !== undefined) options.temperature = this.options.temperature

    // A per-request client whose fetch also listens to our signal: Ctrl-C must cancel a request that
    // is still waiting for Ollama's first byte (prompt processing), not only a stream in progress.
    const ollama = signal ? new Ollama({host: this.options.host, fetch: loggedFetch(fetchWithSignal(signal))}) : this.ollama
    const stream = await this.guard(() =>
      ollama.chat({
        model: this.options.model,
        messages,
        tools: tools && tools.length > 0 ? (tools as OllamaTool[]) : undefined,
        format,
        stream: true as const,
        options,
        keep_alive: this.options.keepAlive,
      }),
    )
    const abort = () => stream.abort()
    signal?.addEventListener('abort', abort, {once: true})
    try {
      for await (const part of stream) {
        const {message} = part
        if (message?.content) yield {type: 'text', delta: message.content}
        if (message?.tool_calls?.length) {
          yield {
            type: 'tool_calls',
            calls: message.tool_calls.map((call) => ({
              name: call.function.name,
              arguments: normalizeArguments(call.function.arguments),
            })),
          }
        }

        if (part.done) {
          yield {
            type: 'done',
            promptTokens: part.prompt_eval_count ?? 0,
            completionTokens: part.eval_count ?? 0,
            doneReason: part.done_reason ?? 'stop',
          }
        }
      }
    } catch (error) {
      if (signal?.aborted) throw new LlmError('aborted', 'cancelled')
      throw toLlmError(error, this.options.host, this.options.model)
    } finally {
      signal?.removeEventListener('abort', abort)
    }
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      throw toLlmError(error, this.options.host, this.options.model)
    }
  }
}

function fetchWithSignal(signal: AbortSignal): typeof fetch {
  return (input, init) => fetch(input, {...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal})
}

export function readModelInfo(name: string, show: ShowResponse): ModelInfo {
  const capabilities = Array.isArray(show.capabilities) ? show.capabilities : []
  const template = typeof show.template === 'string' ? show.template : ''
  // Ollama before 0.6 has no `capabilities`; its tool-capable templates mention .Tools.
  const supportsTools = capabilities.length > 0 ? capabilities.includes('tools') : /\.Tools\b/.test(template)
  const details = (show.details ?? {}) as {family?: unknown; families?: unknown}
  const architecture = readModelInfoKey(show.model_info, 'general.architecture')
  const listed = [details.family, ...(Array.isArray(details.families) ? details.families : []), architecture]
  const families = [...new Set(listed.filter((f): f is string => typeof f === 'string' && f !== '').map((f) => f.toLowerCase()))]
  const family = typeof details.family === 'string' && details.family !== '' ? details.family.toLowerCase() : families[0]
  return {name, contextLength: findContextLength(show.model_info), supportsTools, capabilities, family, families, template}
}

function readModelInfoKey(modelInfo: unknown, key: string): unknown {
  if (!modelInfo || typeof modelInfo !== 'object') return undefined
  return modelInfo instanceof Map ? modelInfo.get(key) : (modelInfo as Record<string, unknown>)[key]
}

/** model_info keys are prefixed by architecture: "qwen2.context_length", "llama.context_length"… */
function findContextLength(modelInfo: unknown): number | undefined {
  if (!modelInfo || typeof modelInfo !== 'object') return undefined
  const entries = modelInfo instanceof Map ? [...modelInfo.entries()] : Object.entries(modelInfo)
  for (const [key, value] of entries) {
    if (String(key).endsWith('.context_length') && typeof value === 'number' && value > 0) return value
  }

  return undefined
}

/** Some models send arguments as a JSON string even on the native path. */
function normalizeArguments(args: unknown): Record<string, unknown> {
  if (typeof args === 'string') {
    try {
      const parsed = JSON.parse(args)
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}
    } catch {
      return {}
    }
  }

  return args && typeof args === 'object' ? (args as Record<string, unknown>) : {}
}
