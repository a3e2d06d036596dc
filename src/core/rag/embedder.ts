import {Ollama} from 'ollama'

import {LlmError, toLlmError} from '../llm/errors.js'

export interface EmbedderOptions {
  host: string
  model: string
  /** Inputs per /api/embed request. */
  batchSize: number
  keepAlive?: string | number
}

/**
 * Some embedding models were trained with task prefixes and rank noticeably worse without them
 * (nomic-embed-text: "search_document:" / "search_query:"; mxbai-embed-large: a query instruction).
 */
const TASK_PREFIXES: [RegExp, {document: string; query: string}][] = [
  [/^nomic-embed-text/, {document: 'search_document: ', query: 'search_query: '}],
  [/^mxbai-embed-large/, {document: '', query: 'Represent this sentence for searching relevant passages: '}],
]

/** Embeddings from Ollama's /api/embed, batched, with the same actionable errors as chat. */
export class Embedder {
  private readonly ollama: Ollama
  private readonly prefixes: {document: string; query: string}

  constructor(readonly options: EmbedderOptions) {
    this.ollama = new Ollama({host: options.host})
    const bare = options.model.replace(/^.*\//, '')
    this.prefixes = TASK_PREFIXES.find(([pattern]) => pattern.test(bare))?.[1] ?? {document: '', query: ''}
  }

  get model(): string {
    return this.options.model
  }

  /**
   * Why vectors cannot be made right now (model not pulled, not an embedding model, Ollama not
   * running), or undefined when they can. Asks /api/show, so it costs no embedding.
   */
  async unavailableReason(): Promise<string | undefined> {
    try {
      const show = await this.ollama.show({model: this.options.model})
      const capabilities = Array.isArray(show.capabilities) ? show.capabilities : []
      if (capabilities.length > 0 && !capabilities.includes('embedding')) return notAnEmbedder(this.options.model)
      return undefined
    } catch (error) {
      const reason = vectorsUnavailable(toLlmError(error, this.options.host, this.options.model), this.options.model)
      if (reason) return reason
      throw toLlmError(error, this.options.host, this.options.model)
    }
  }

  async embedDocuments(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const out: number[][] = []
    for (let i = 0; i < texts.length; i += this.options.batchSize) {
      const batch = texts.slice(i, i + this.options.batchSize).map((text) => this.prefixes.document + text)
      out.push(...(await this.embed(batch, signal)))
    }

    return out
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<number[]> {
    const [vector] = await this.embed([this.prefixes.query + text], signal)
    return vector!
  }

  private async embed(input: string[], signal?: AbortSignal): Promise<number[][]> {
    if (signal?.aborted) throw new LlmError('aborted', 'cancelled')
    const abort = () => this.ollama.abort()
    signal?.addEventListener('abort', abort, {once: true})
    try {
      // truncate: a chunk over the model's window is cut rather than failing the whole batch.
      const {embeddings} = await this.ollama.embed({model: this.options.model, input, truncate: true, keep_alive: this.options.keepAlive})
      if (embeddings.length !== input.length) {
        throw new LlmError('ollama_error', `Ollama returned ${embeddings.length} embeddings for ${input.length} inputs`)
      }

      return embeddings
    } catch (error) {
      if (signal?.aborted) throw new LlmError('aborted', 'cancelled')
      throw toLlmError(error, this.options.host, this.options.model)
    } finally {
      signal?.removeEventListener('abort', abort)
    }
  }
}

/**
 * Why vectors cannot be made right now, when that is an expected state rather than a fault: then
 * faithh indexes and searches lexically and says how to turn vectors on.
 */
export function vectorsUnavailable(error: unknown, model: string): string | undefined {
  if (!(error instanceof LlmError)) return undefined
  if (error.code === 'model_missing') return `embedding model ${model} is not pulled — run \`ollama pull ${model}\`, then \`faithh index\``
  if (error.code === 'unreachable') return `${error.message}; then run \`faithh index\` to add vectors`
  if (error.code === 'ollama_error' && /does not support embed|not an embedding model/i.test(error.message)) {
    return notAnEmbedder(model)
  }

  return undefined
}

function notAnEmbedder(model: string): string {
  return `model ${model} cannot make embeddings — set rag.embedModel to an embedding model (\`ollama pull nomic-embed-text\`)`
}
