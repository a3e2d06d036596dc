import {debugChannel} from '../debug-channel.js'

const log = debugChannel('faithh:ollama')

/**
 * With `DEBUG=faithh:ollama` (or `faithh*`), every request faithh sends Ollama and every NDJSON line
 * of the answer goes to stderr as it arrives: what a user attaches when a local model's reply was
 * parsed wrongly. Off, it is the plain fetch and costs nothing.
 */
export function loggedFetch(inner: typeof fetch = fetch): typeof fetch {
  if (!log.enabled) return inner
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input)
    log('→ %s %s %s', init?.method ?? 'GET', url, typeof init?.body === 'string' ? init.body : '')
    const response = await inner(input, init).catch((error: unknown) => {
      log('✗ %s %O', url, error)
      throw error
    })
    log('← %d %s', response.status, url)
    if (!response.body) return response
    const decoder = new TextDecoder()
    let pending = ''
    const lines = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, {stream: true})
        let end: number
        while ((end = pending.indexOf('\n')) !== -1) {
          log('← %s', pending.slice(0, end))
          pending = pending.slice(end + 1)
        }

        controller.enqueue(chunk)
      },
      flush() {
        if (pending) log('← %s', pending)
      },
    })
    return new Response(response.body.pipeThrough(lines), {status: response.status, statusText: response.statusText, headers: response.headers})
  }
}
