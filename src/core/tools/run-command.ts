import {execa} from 'execa'
import {z} from 'zod'
import {lenientInt} from './arg-types.js'
import {defineTool, fail, ok} from './tool.js'

/** Output past this stops the command: nobody reads 10 MB of log through a small model. */
const MAX_BUFFER = 10 * 1024 * 1024
/** Grace between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2000
/** After the shell exits, how long background children may keep the output pipes open. */
const LINGER_MS = 500
/** Room for the status line and cut note inside the output cap. */
const STATUS_RESERVE = 200

export const runCommandTool = defineTool({
  name: 'run_command',
  description: 'Run a shell command in the project root. Returns exit code and output.',
  schema: z.object({
    command: z.string(),
    timeout_seconds: lenientInt().min(1).optional(),
  }),
  readOnly: false,
  async execute(args, ctx) {
    const command = args.command.trim()
    if (command === '') return fail('run_command: command is empty')
    if (ctx.signal.aborted) return fail('run_command: cancelled')
    const approval = await ctx.access.approveCommand(command, 'run_command')
    if (!approval.ok) return fail(`run_command: not run — ${approval.reason}`)

    const maxMs = ctx.limits.commandTimeoutMs
    const timeoutMs = args.timeout_seconds === undefined ? maxMs : Math.min(args.timeout_seconds * 1000, maxMs)

    const subprocess = execa(command, {
      // The policy judged the line as bash: run it with bash, not whatever /bin/sh is.
      shell: '/bin/bash',
      cwd: ctx.root,
      cancelSignal: ctx.signal,
      timeout: timeoutMs,
      forceKillAfterDelay: KILL_GRACE_MS,
      stdin: 'ignore',
      all: true,
      reject: false,
      maxBuffer: MAX_BUFFER,
      // Own process group, so a timeout or Ctrl-C stops the whole pipeline, not just the shell.
      detached: true,
      env: {NO_COLOR: '1', FORCE_COLOR: '0', PAGER: 'cat', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0'},
    })

    let timedOut = false
    let backgroundStopped = false
    const timers: NodeJS.Timeout[] = []
    const killGroup = (signal: NodeJS.Signals): boolean => {
      if (subprocess.pid === undefined) return false
      try {
        process.kill(-subprocess.pid, signal)
        return true
      } catch {
        return false
      }
    }
    const stopGroup = (): void => {
      killGroup('SIGTERM')
      timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS))
    }
    timers.push(
      setTimeout(() => {
        timedOut = true
        stopGroup()
      }, timeoutMs),
    )
    ctx.signal.addEventListener('abort', stopGroup, {once: true})
    // A command like `server &` leaves children holding the output open; stop them once the shell is gone.
    subprocess.once('exit', () => {
      timers.push(
        setTimeout(() => {
          if (killGroup('SIGTERM')) backgroundStopped = true
          timers.push(setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS))
        }, LINGER_MS),
      )
    })

    let result
    try {
      result = await subprocess
    } finally {
      for (const timer of timers) clearTimeout(timer)
      ctx.signal.removeEventListener('abort', stopGroup)
    }

    let status: string
    if (ctx.signal.aborted || result.isCanceled) status = 'cancelled'
    else if (timedOut || result.timedOut) status = `timed out after ${formatSeconds(timeoutMs)}`
    else if (result.isMaxBuffer) status = `stopped: output exceeded ${MAX_BUFFER / 1024 / 1024} MB`
    else if (typeof result.exitCode === 'number') status = `exit code ${result.exitCode}`
    else if (result.signal) status = `killed by signal ${result.signal}`
    else return fail(`run_command: could not start the command — ${result.shortMessage ?? 'unknown error'}`)
    if (backgroundStopped) status += ' (background processes still writing output were stopped)'

    const output = cleanOutput(typeof result.all === 'string' ? result.all : '')
    const body = output === '' ? '(no output)' : keepHeadAndTail(output, ctx.limits.outputChars - STATUS_RESERVE)
    const succeeded = result.exitCode === 0 && !timedOut && !result.timedOut && !result.isCanceled && !result.isMaxBuffer
    return {ok: succeeded, output: `${status}\n${body}`, ...(timedOut || result.timedOut ? {kind: 'timeout' as const} : {})}
  },
})

function formatSeconds(ms: number): string {
  const seconds = ms / 1000
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)}s`
}

/** Drops colour codes and keeps only the final state of `\r`-redrawn progress lines. */
export function cleanOutput(text: string): string {
  return text
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .split('\n')
    .map((line) => {
      const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line
      const redraw = trimmed.lastIndexOf('\r')
      return redraw === -1 ? trimmed : trimmed.slice(redraw + 1)
    })
    .join('\n')
}

/**
 * Head and tail of long output, cut at line breaks: the start says what ran, the end usually says
 * what failed. The note says how much is missing and how to see it.
 */
export function keepHeadAndTail(text: string, maxChars: number): string {
  const limit = Math.max(maxChars, 200)
  if (text.length <= limit) return text
  const headBudget = Math.floor(limit * 0.4)
  const tailBudget = limit - headBudget
  let head = text.slice(0, headBudget)
  const headBreak = head.lastIndexOf('\n')
  if (headBreak > headBudget / 2) head = head.slice(0, headBreak)
  let tail = text.slice(-tailBudget)
  const tailBreak = tail.indexOf('\n')
  if (tailBreak !== -1 && tailBreak < tailBudget / 2) tail = tail.slice(tailBreak + 1)
  const omitted = text.slice(head.length, text.length - tail.length)
  const lines = omitted.split('\n').length - 1
  const size = lines > 1 ? `${lines} lines` : `${omitted.length} characters`
  return `${head}\n[… ${size} omitted — rerun piped through grep, head or tail to see them …]\n${tail}`
}
