import {spawn} from 'node:child_process'
import {constants} from 'node:os'
import {StringDecoder} from 'node:string_decoder'

/** Grace between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2000
/** After the command exits, how long background children may keep the output pipes open (unsandboxed runs). */
const LINGER_MS = 500
/** Output kept for the caller: the head and the tail (the start says what ran, the end what failed). */
const KEEP_HEAD = 1024 * 1024
const KEEP_TAIL = 4 * 1024 * 1024

export type RunStatus = 'exited' | 'timed_out' | 'cancelled' | 'output_limit' | 'failed_to_start'

/** How one command ran. Exit codes follow the shell: 128+n when a signal ended it, 124 on timeout, 130 when cancelled. */
export interface ProcessRun {
  status: RunStatus
  exitCode: number
  /** Set when a signal ended it. */
  signal?: string
  /** stdout and stderr interleaved as they came; only head and tail past 5 MB. */
  output: string
  outputBytes: number
  /** Background processes were still running after the command ended, and were stopped. */
  backgroundStopped: boolean
  /** Why it did not start. */
  error?: string
  durationMs: number
}

export type OutputSink = (chunk: string, stream: 'stdout' | 'stderr') => void

export interface ProcessRunOptions {
  cwd: string
  env: Record<string, string>
  signal: AbortSignal
  timeoutMs: number
  /** Output past this stops the command. */
  maxOutputBytes: number
  onOutput?: OutputSink
  /**
   * The process runs its own pid namespace (bwrap): when it ends, everything in it has ended, and it
   * reports lingering background processes on fd 3.
   */
  ownsPidNamespace: boolean
}

/**
 * Runs argv in its own process group (so a timeout or Ctrl-C stops the whole pipeline, not just the
 * shell), stdin closed, with limits on time and output.
 */
export function runProcess(argv: string[], options: ProcessRunOptions): Promise<ProcessRun> {
  const started = performance.now()
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', options.ownsPidNamespace ? 'pipe' : 'ignore'],
    })
    const kept = new KeptOutput()
    let status: RunStatus = 'exited'
    let backgroundStopped = false
    let exit: {code: number | null; signal: NodeJS.Signals | null} | undefined
    let startError: string | undefined
    const timers: NodeJS.Timeout[] = []

    const killGroup = (signal: NodeJS.Signals): boolean => {
      if (child.pid === undefined) return false
      try {
        process.kill(-child.pid, signal)
        return true
      } catch {
        return false
      }
    }
    const stop = (why: RunStatus): void => {
      if (status !== 'exited') return
      status = why
      killGroup('SIGTERM')
      timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS))
    }

    for (const stream of ['stdout', 'stderr'] as const) {
      const decoder = new StringDecoder('utf8')
      child[stream]!.on('data', (data: Buffer) => {
        const text = decoder.write(data)
        kept.push(text, data.length)
        options.onOutput?.(text, stream)
        if (kept.bytes > options.maxOutputBytes) stop('output_limit')
      })
    }

    child.stdio[3]?.on('data', (data: Buffer) => {
      if (data.toString().includes('lingering')) backgroundStopped = true
    })

    timers.push(setTimeout(() => stop('timed_out'), options.timeoutMs))
    const onAbort = () => stop('cancelled')
    if (options.signal.aborted) onAbort()
    else options.signal.addEventListener('abort', onAbort, {once: true})

    child.once('error', (error) => {
      startError = error.message
    })
    child.once('exit', (code, signal) => {
      exit = {code, signal}
      if (options.ownsPidNamespace) return
      // `server &` leaves children holding the output open: stop them once the shell is gone.
      timers.push(
        setTimeout(() => {
          if (killGroup('SIGTERM')) backgroundStopped = status === 'exited'
          timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS))
        }, LINGER_MS),
      )
    })
    child.once('close', (code, signal) => {
      for (const timer of timers) clearTimeout(timer)
      options.signal.removeEventListener('abort', onAbort)
      const ended = exit ?? {code, signal}
      const durationMs = performance.now() - started
      const base = {output: kept.text(), outputBytes: kept.bytes, backgroundStopped, durationMs}
      // It never ran: Node reports the spawn error, and a `close` with a negative errno for a code.
      if (startError !== undefined && exit === undefined) {
        resolve({...base, status: 'failed_to_start', exitCode: 127, error: startError})
        return
      }

      const exitCode =
        status === 'timed_out' ? 124 : status === 'cancelled' ? 130 : (ended.code ?? 128 + (constants.signals[ended.signal as NodeJS.Signals] ?? 1))
      resolve({...base, status, exitCode, ...(ended.signal ? {signal: ended.signal} : {})})
    })
  })
}

/** The first MB and the last 4 MB of the output; what lies between is counted, not kept. */
class KeptOutput {
  bytes = 0
  private head = ''
  private tail: string[] = []
  private tailLength = 0
  private dropped = 0

  push(text: string, byteLength: number): void {
    this.bytes += byteLength
    if (this.head.length < KEEP_HEAD && this.tail.length === 0) {
      const room = KEEP_HEAD - this.head.length
      this.head += text.slice(0, room)
      text = text.slice(room)
      if (text === '') return
    }

    this.tail.push(text)
    this.tailLength += text.length
    while (this.tailLength > KEEP_TAIL && this.tail.length > 1) {
      const first = this.tail.shift()!
      this.tailLength -= first.length
      this.dropped += first.length
    }
  }

  text(): string {
    const gap = this.dropped > 0 ? `\n[… ${this.dropped} characters of output not kept …]\n` : ''
    return this.head + gap + this.tail.join('')
  }
}
