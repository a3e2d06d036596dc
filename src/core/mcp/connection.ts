import {createRequire} from 'node:module'
import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {SSEClientTransport} from '@modelcontextprotocol/sdk/client/sse.js'
import {StreamableHTTPClientTransport} from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js'
import {ErrorCode, McpError, type CallToolResult, type Tool as McpToolInfo} from '@modelcontextprotocol/sdk/types.js'

import {debugChannel} from '../debug-channel.js'
import {ServerProcessTransport} from './server-process.js'
import type {McpLaunch} from './server-config.js'
import type {ServerRun} from './server-sandbox.js'

export type {McpToolInfo}

const debug = debugChannel('faithh:mcp')
const {version} = createRequire(import.meta.url)('../../../package.json') as {version: string}

/** The answer to one tool call: the server's result, or why there is none. */
export type McpCallOutcome =
  | {ok: true; result: CallToolResult}
  | {ok: false; kind: 'timeout' | 'stopped' | 'invalid_arguments' | 'failed' | 'cancelled'; message: string}

export interface McpConnectOptions {
  name: string
  launch: McpLaunch
  /** How a stdio server runs (sandboxed or not): see server-sandbox.ts. */
  run?: ServerRun
  /** Spawn, handshake and the tool list must all be done within this. */
  startTimeoutMs: number
  signal?: AbortSignal
}

/**
 * One running MCP server: its tools, and calls to them. A server that crashes, or does not answer a
 * call in time, is stopped for good and says why once, through onStopped: the caller drops its tools.
 */
export class McpConnection {
  /** Why the server stopped when it was not asked to; undefined while it runs. */
  failure?: string
  onStopped?: (reason: string) => void
  private closing = false

  private constructor(
    readonly name: string,
    readonly tools: McpToolInfo[],
    private readonly client: Client,
    private readonly transport: Transport,
  ) {}

  get alive(): boolean {
    return !this.failure && !this.closing
  }

  /** Starts the server and lists its tools; rejects with a message worth showing when it cannot. */
  static async open({name, launch, run, startTimeoutMs, signal}: McpConnectOptions): Promise<McpConnection> {
    const transport = transportFor(name, launch, run)
    const client = new Client({name: 'faithh', version}, {capabilities: {}})
    const deadline = AbortSignal.timeout(startTimeoutMs)
    const aborted = signal ? AbortSignal.any([signal, deadline]) : deadline
    try {
      const tools = await untilAborted(
        (async () => {
          await client.connect(transport, {signal: aborted, timeout: startTimeoutMs})
          return listAllTools(client, aborted, startTimeoutMs)
        })(),
        aborted,
      )
      const connection = new McpConnection(name, tools, client, transport)
      client.onclose = () => connection.stopped(transport instanceof ServerProcessTransport ? transport.describeExit() : 'closed the connection')
      return connection
    } catch (error) {
      await client.close().catch(() => {})
      await transport.close().catch(() => {})
      if (deadline.aborted) throw new Error(`did not start within ${seconds(startTimeoutMs)} (startTimeoutSeconds)`, {cause: error})
      if (signal?.aborted) throw new Error('cancelled', {cause: error})
      const exit = transport instanceof ServerProcessTransport ? transport.describeExit() : undefined
      const message = (error as Error).message
      throw new Error(exit && exit !== 'stopped' && /closed|not running/i.test(message) ? exit : message, {cause: error})
    }
  }

  async call(tool: string, args: Record<string, unknown>, {signal, timeoutMs}: {signal: AbortSignal; timeoutMs: number}): Promise<McpCallOutcome> {
    if (!this.alive) return {ok: false, kind: 'stopped', message: `is not running (${this.failure ?? 'stopped'})`}
    try {
      const result = (await this.client.callTool({name: tool, arguments: args}, undefined, {signal, timeout: timeoutMs})) as CallToolResult
      return {ok: true, result}
    } catch (error) {
      if (signal.aborted) return {ok: false, kind: 'cancelled', message: 'cancelled'}
      if (error instanceof McpError && error.code === ErrorCode.RequestTimeout) {
        const reason = `did not answer a call to ${tool} within ${seconds(timeoutMs)} (callTimeoutSeconds)`
        this.stopped(reason)
        await this.close()
        return {ok: false, kind: 'timeout', message: reason}
      }

      if (!this.alive || (error instanceof McpError && error.code === ErrorCode.ConnectionClosed)) {
        return {ok: false, kind: 'stopped', message: `${this.failure ?? 'closed the connection'} during the call`}
      }

      const message = (error as Error).message.replace(/^MCP error -?\d+: /, '')
      const invalid = error instanceof McpError && (error.code === ErrorCode.InvalidParams || error.code === ErrorCode.MethodNotFound)
      return {ok: false, kind: invalid ? 'invalid_arguments' : 'failed', message}
    }
  }

  async close(): Promise<void> {
    if (this.closing) return
    this.closing = true
    await this.client.close().catch(() => {})
    await this.transport.close().catch(() => {})
  }

  private stopped(reason: string): void {
    if (this.closing || this.failure) return
    this.failure = reason
    debug('%s stopped: %s', this.name, reason)
    this.onStopped?.(reason)
  }
}

function transportFor(name: string, launch: McpLaunch, run?: ServerRun): Transport {
  if (launch.transport === 'stdio') {
    if (!run) throw new Error('a stdio server needs to know how it runs (sandboxed or not)')
    // Servers log to stderr; that is noise in faithh's output, so it is shown only under DEBUG=faithh:mcp.
    return new ServerProcessTransport(launch, run, (text) => {
      for (const line of text.split('\n')) if (line.trim()) debug('[%s] %s', name, line)
    })
  }

  const requestInit = {headers: launch.headers}
  return launch.transport === 'sse'
    ? new SSEClientTransport(new URL(launch.url), {requestInit})
    : new StreamableHTTPClientTransport(new URL(launch.url), {requestInit})
}

/** Servers may page their tool list. */
async function listAllTools(client: Client, signal: AbortSignal, timeout: number): Promise<McpToolInfo[]> {
  const tools: McpToolInfo[] = []
  let cursor: string | undefined
  do {
    const page = await client.listTools(cursor ? {cursor} : undefined, {signal, timeout})
    tools.push(...page.tools)
    cursor = page.nextCursor
  } while (cursor && tools.length < 10_000)
  return tools
}

/** Spawning is not covered by the SDK's request timeouts: race the whole start against the signal. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    if (signal.aborted) return onAbort()
    signal.addEventListener('abort', onAbort, {once: true})
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}

function seconds(ms: number): string {
  return `${Math.round((ms / 1000) * 10) / 10} s`
}
