import {z} from 'zod'
import {lenientInt} from './arg-types.js'
import {defineTool, fail} from './tool.js'

/** Output past this stops the command: nobody reads 10 MB of log through a small model. */
const MAX_OUTPUT_BYTES = 10 * 1024 * 1024
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

    const maxMs = ctx.limits.commandTimeoutMs
    const timeoutMs = args.timeout_seconds === undefined ? maxMs : Math.min(args.timeout_seconds * 1000, maxMs)
    // Approved by the policy (and the user, if it asks), then run in the sandbox, in its own process group.
    const ran = await ctx.access.runCommand(command, {
      tool: 'run_command',
      signal: ctx.signal,
      timeoutMs,
      maxOutputBytes: MAX_OUTPUT_BYTES,
      env: {NO_COLOR: '1', FORCE_COLOR: '0', PAGER: 'cat', GIT_PAGER: 'cat', GIT_TERMINAL_PROMPT: '0'},
    })
    if (!ran.ok) return fail(`run_command: not run — ${ran.reason}`)
    const result = ran.run

    let status: string
    if (result.status === 'cancelled' || ctx.signal.aborted) status = 'cancelled'
    else if (result.status === 'timed_out') status = `timed out after ${formatSeconds(timeoutMs)}`
    else if (result.status === 'output_limit') status = `stopped: output exceeded ${MAX_OUTPUT_BYTES / 1024 / 1024} MB`
    else if (result.status === 'failed_to_start') return fail(`run_command: could not start the command — ${result.error ?? 'unknown error'}`)
    else if (result.signal) status = `killed by signal ${result.signal}`
    else status = `exit code ${result.exitCode}`
    if (result.backgroundStopped) status += ' (background processes still writing output were stopped)'
    if (result.processLimitHit) status += " (the sandbox's process limit stopped some forks)"

    const output = cleanOutput(result.output).replace(/\r?\n$/, '')
    const body = output === '' ? '(no output)' : keepHeadAndTail(output, ctx.limits.outputChars - STATUS_RESERVE)
    return {
      ok: result.status === 'exited' && result.exitCode === 0,
      output: `${status}\n${body}`,
      ...(result.status === 'timed_out' ? {kind: 'timeout' as const} : {}),
    }
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
