import type {ServerResponse} from 'node:http'

/** Proxies and browsers drop a silent connection; a comment line now and then keeps a long model run alive. */
const HEARTBEAT_MS = 15_000

export interface EventStream {
  send(event: object): void
  end(): void
  /** The client went away before the end (closed the tab, aborted the fetch). */
  readonly closed: boolean
  onClose(listener: () => void): void
}

/** Server-Sent Events: each event one `data:` line of JSON, with its `type` inside. */
export function openEventStream(res: ServerResponse): EventStream {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  })
  res.flushHeaders()
  let closed = false
  const listeners: (() => void)[] = []
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS)
  res.on('close', () => {
    clearInterval(heartbeat)
    if (res.writableFinished) return
    closed = true
    for (const listener of listeners) listener()
  })
  return {
    send(event) {
      if (!closed) res.write(`data: ${JSON.stringify(event)}\n\n`)
    },
    end() {
      clearInterval(heartbeat)
      if (!closed) res.end()
    },
    get closed() {
      return closed
    },
    onClose: (listener) => listeners.push(listener),
  }
}
