import {execa, type ResultPromise} from 'execa'
import {request as httpRequest, type IncomingHttpHeaders} from 'node:http'

import {CLI_BIN, requireBuild} from './cli.js'

export interface ServeProcess {
  /** http://127.0.0.1:PORT */
  origin: string
  port: number
  token: string
  pageUrl: string
  output(): string
  stop(): Promise<number | undefined>
}

/** Starts the built `faithh serve` on a free loopback port and waits for the URL it prints. */
export async function startServe(args: string[], {cwd, host, env = {}}: {cwd: string; host: string; env?: Record<string, string>}): Promise<ServeProcess> {
  requireBuild()
  const child: ResultPromise = execa('node', [CLI_BIN, 'serve', '--port', '0', ...args], {
    cwd,
    env: {NO_COLOR: '1', FAITHH_MODEL: undefined, OLLAMA_HOST: host, ...env},
    extendEnv: true,
    stdin: 'ignore',
    reject: false,
  })
  let output = ''
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const deadline = Date.now() + 15_000
  let match: RegExpExecArray | null = null
  while (!(match = /(http:\/\/127\.0\.0\.1:(\d+))\/\?token=([\w-]+)/.exec(output))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill()
      throw new Error(`faithh serve did not start:\n${output}`)
    }

    await new Promise((resolve) => setTimeout(resolve, 50))
  }

  const [pageUrl, origin, port, token] = match
  return {
    origin: origin!,
    port: Number(port),
    token: token!,
    pageUrl: pageUrl!,
    output: () => output,
    async stop() {
      child.kill('SIGTERM')
      return (await child).exitCode
    },
  }
}

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** A request with exactly the headers given (fetch would refuse to set Host, and adds its own). */
export function rawRequest(
  url: string,
  {method = 'GET', headers = {}, body}: {method?: string; headers?: Record<string, string>; body?: string} = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {method, headers: {...headers, ...(body ? {'content-length': String(Buffer.byteLength(body))} : {})}}, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, body: text}))
    })
    req.on('error', reject)
    req.end(body)
  })
}

export interface ServeEvent {
  type: string
  [key: string]: unknown
}

/**
 * POSTs a chat message and reads the Server-Sent Events as they come; `onEvent` may act on one
 * (answer a confirmation) while the stream stays open. Resolves with every event once it ends.
 */
export function streamChat(
  server: Pick<ServeProcess, 'origin' | 'token'>,
  body: object,
  onEvent: (event: ServeEvent) => void | Promise<void> = () => {},
): Promise<{status: number; headers: IncomingHttpHeaders; events: ServeEvent[]; text: string}> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body)
    const req = httpRequest(
      `${server.origin}/api/agent/chat`,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: server.origin,
          'x-faithh-token': server.token,
          'content-length': String(Buffer.byteLength(payload)),
        },
      },
      (res) => {
        const events: ServeEvent[] = []
        let buffer = ''
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          text += chunk
          buffer += chunk
          let end: number
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            const data = frame
              .split('\n')
              .filter((line) => line.startsWith('data: '))
              .map((line) => line.slice(6))
              .join('\n')
            if (!data) continue
            const event = JSON.parse(data) as ServeEvent
            events.push(event)
            Promise.resolve(onEvent(event)).catch(reject)
          }
        })
        res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, events, text}))
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}
