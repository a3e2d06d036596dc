import {spawn, type ChildProcess, type SpawnOptions} from 'node:child_process'
import {ReadBuffer, serializeMessage} from '@modelcontextprotocol/sdk/shared/stdio.js'
import type {Transport} from '@modelcontextprotocol/sdk/shared/transport.js'
import type {JSONRPCMessage} from '@modelcontextprotocol/sdk/types.js'

import {findProgram} from '../sandbox/find-program.js'
import {serverEnvironment, type ServerRun, type StdioLaunch} from './server-sandbox.js'

/** One JSON-RPC message larger than this ends the connection (the SDK's own default). */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024
/** Kept from a server's stderr to explain a crash. */
const STDERR_TAIL_CHARS = 2000

interface StartedServer {
  child: ChildProcess
  /** Removes what the sandbox left on the host; call once the server has ended. */
  release(): Promise<unknown>
}

/**
 * The one place faithh starts an MCP server's program: in the sandbox (bwrap or sandbox-exec around
 * it) unless `run` says otherwise. It runs in its own process group, so Ctrl-C at the terminal
 * reaches faithh (which cancels the turn) and not the server, and closing can end the whole group
 * (`npx` and the node it starts, or bwrap and everything in its sandbox).
 */
export async function spawnStdioServer(launch: StdioLaunch, run: ServerRun): Promise<StartedServer> {
  const env = serverEnvironment(launch, run)
  // Found on the host first: "no such program" is worth saying plainly, not as bwrap's exec error.
  const program = findProgram(launch.command, launch.cwd, env.PATH)
  if (!program) {
    throw Object.assign(new Error(`cannot start \`${launch.command}\`: no such program (is it installed and on PATH?)`), {code: 'ENOENT'})
  }

  const options: SpawnOptions = {cwd: launch.cwd, stdio: ['pipe', 'pipe', 'pipe'], detached: true}
  if (!run.sandboxed) return {child: spawn(program, launch.args, {...options, env}), release: async () => {}}
  const confined = await run.sandbox.confine([program, ...launch.args], run.grant, {cwd: launch.cwd, env})
  return {child: spawn(confined.argv[0]!, confined.argv.slice(1), {...options, env: confined.env}), release: confined.release}
}

/**
 * An MCP transport over a server program's stdin and stdout (newline-delimited JSON-RPC). Unlike the
 * SDK's StdioClientTransport it ends the server's whole process group, keeps the end of its stderr
 * to say why it died, and never lets it outlive faithh (see endAllOnExit).
 */
export class ServerProcessTransport implements Transport {
  onclose?: () => void
  onerror?: (error: Error) => void
  onmessage?: (message: JSONRPCMessage) => void
  private child?: ChildProcess
  private readonly buffer = new ReadBuffer({maxBufferSize: MAX_MESSAGE_BYTES})
  private stderrTail = ''
  private exit?: {code: number | null; signal: NodeJS.Signals | null}
  private closing = false

  constructor(
    private readonly launch: StdioLaunch,
    private readonly run: ServerRun,
    private readonly onStderr: (text: string) => void = () => {},
  ) {}

  get pid(): number | undefined {
    return this.child?.pid
  }

  async start(): Promise<void> {
    const {child, release} = await spawnStdioServer(this.launch, this.run)
    return new Promise((resolve, reject) => {
      this.child = child
      child.once('error', (error: NodeJS.ErrnoException) => {
        void release()
        const message =
          error.code === 'ENOENT'
            ? `cannot start \`${this.launch.command}\`: no such program (is it installed and on PATH?)`
            : `cannot start \`${this.launch.command}\`: ${error.message}`
        const failure = new Error(message, {cause: error})
        reject(failure)
        this.onerror?.(failure)
      })
      child.once('spawn', () => {
        track(child)
        resolve()
      })
      child.once('exit', (code, signal) => {
        this.exit = {code, signal}
      })
      child.once('close', () => {
        untrack(child)
        void release()
        this.onclose?.()
      })
      child.stdin!.on('error', (error) => this.onerror?.(error))
      child.stdout!.on('data', (chunk: Buffer) => {
        try {
          this.buffer.append(chunk)
        } catch {
          this.onerror?.(new Error(`sent a message over ${MAX_MESSAGE_BYTES / 1024 / 1024} MB`))
          void this.close()
          return
        }

        this.readMessages()
      })
      child.stderr!.setEncoding('utf8')
      child.stderr!.on('data', (text: string) => {
        this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS)
        this.onStderr(text)
      })
    })
  }

  /** A line that is not JSON-RPC (a server logging to stdout) is reported and skipped, not fatal. */
  private readMessages(): void {
    for (;;) {
      let message: JSONRPCMessage | null
      try {
        message = this.buffer.readMessage()
      } catch (error) {
        this.onerror?.(new Error(`wrote something that is not an MCP message to stdout: ${(error as Error).message.slice(0, 200)}`))
        continue
      }

      if (!message) return
      this.onmessage?.(message)
    }
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin
    if (!stdin || stdin.destroyed || this.exit) throw new Error('the server is not running')
    if (!stdin.write(serializeMessage(message))) await new Promise((resolve) => stdin.once('drain', resolve))
  }

  /** Ends stdin (the polite way to stop a stdio server), then the process group: SIGTERM, then SIGKILL. */
  async close(): Promise<void> {
    const child = this.child
    if (!child || this.closing) return
    this.closing = true
    const ended = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())))
    child.stdin?.end()
    if (!(await within(ended, 1000))) {
      signalGroup(child, 'SIGTERM')
      if (!(await within(ended, 1000))) signalGroup(child, 'SIGKILL')
    }

    await within(ended, 1000)
    this.buffer.clear()
  }

  /** "exited with code 1: <the stderr line that says why>", for the warning when a server dies. */
  describeExit(): string {
    const how = !this.exit ? 'stopped' : this.exit.signal ? `was killed by ${this.exit.signal}` : `exited with code ${this.exit.code}`
    const why = telling(this.stderrTail)
    return why ? `${how}: ${why.slice(0, 300)}` : how
  }
}

/** Lines that end a program's stderr without saying anything: node's version banner, npm's log pointer, stack frames. */
const NOISE = /^(Node\.js v\d|npm error (A complete log|Log files were not written)|at\s|[{}\]^]+$|throw\s|\w+: ['[]|requireStack)/
const ERROR_LIKE = /error|cannot|denied|not found|no such|E[A-Z]{3,}/i

/** The last line of stderr that explains a failure: the last error-like one, else the last that is not noise. */
function telling(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !NOISE.test(line))
  return lines.findLast((line) => ERROR_LIKE.test(line)) ?? lines.at(-1) ?? stderr.trim().split('\n').at(-1)?.trim()
}

function within(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms)
    void promise.then(() => {
      clearTimeout(timer)
      resolve(true)
    })
  })
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    // A negative pid is the process group the detached spawn made: the server and what it started.
    process.kill(-child.pid!, signal)
  } catch {
    child.kill(signal)
  }
}

/**
 * Servers still running when faithh exits are killed with it, whatever the way out: a normal end
 * that skipped closing them, process.exit() on a second Ctrl-C, SIGTERM, SIGHUP, or a Ctrl-C that
 * nothing else handles (before a run starts). Being in their own process group, nothing else would
 * stop them.
 */
const live = new Set<ChildProcess>()
const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const

function track(child: ChildProcess): void {
  if (live.size === 0) {
    process.on('exit', endAll)
    for (const signal of SIGNALS) process.on(signal, endAllOnSignal)
  }

  live.add(child)
}

function untrack(child: ChildProcess): void {
  if (!live.delete(child) || live.size > 0) return
  process.off('exit', endAll)
  for (const signal of SIGNALS) process.off(signal, endAllOnSignal)
}

function endAll(): void {
  for (const child of live) signalGroup(child, 'SIGKILL')
  live.clear()
}

function endAllOnSignal(signal: NodeJS.Signals): void {
  // During a run, Ctrl-C cancels the run (or a chat turn) and the servers must live on: that handler decides.
  if (signal === 'SIGINT' && process.listenerCount('SIGINT') > 1) return
  endAll()
  for (const name of SIGNALS) process.off(name, endAllOnSignal)
  process.off('exit', endAll)
  // Listening replaced the default action (exit); with no other listener, do what the signal would have done.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
}
