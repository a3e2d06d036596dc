import {FaithhError} from '../errors.js'

export type LlmErrorCode = 'unreachable' | 'model_missing' | 'no_tools' | 'aborted' | 'ollama_error'

/** A failure talking to Ollama, worded so the user knows what to do next. */
export class LlmError extends FaithhError<LlmErrorCode> {
  override name = 'LlmError'
}

/**
 * Turns what fetch / the ollama client throws into an LlmError with an actionable message. The
 * original stays as `cause` (the HTTP status, the socket error), for `DEBUG=faithh*`.
 */
export function toLlmError(error: unknown, host: string, model: string): LlmError {
  if (error instanceof LlmError) return error
  const err = error as {name?: string; message?: string; status_code?: number; error?: string; cause?: {code?: string}}
  if (err?.name === 'AbortError') return new LlmError('aborted', 'cancelled', {cause: error})

  if (err?.name === 'ResponseError') {
    const detail = err.error ?? err.message ?? ''
    if (err.status_code === 404 || /not found|try pulling it/i.test(detail)) {
      return new LlmError('model_missing', `model ${model} is not pulled`, {hint: `run \`ollama pull ${model}\` (Ollama said: ${detail})`, cause: error})
    }

    if (/does not support tools/i.test(detail)) {
      return new LlmError('no_tools', `model ${model} does not support native tool calls`, {cause: error})
    }

    return new LlmError('ollama_error', `Ollama at ${host} answered ${err.status_code ?? 'an error'}: ${detail}`, {cause: error})
  }

  const code = err?.cause?.code
  if (err?.name === 'TypeError' || code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ECONNRESET') {
    const hint = `start it with \`ollama serve\`, or set OLLAMA_HOST${code ? ` (${code})` : ''}`
    return new LlmError('unreachable', `cannot reach Ollama at ${host}`, {hint, cause: error})
  }

  return new LlmError('ollama_error', `Ollama at ${host} failed: ${err?.message ?? String(error)}`, {cause: error})
}
