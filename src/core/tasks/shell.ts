import type {ApprovedCommand} from '../access/project-access.js'
import type {OutputSink} from '../sandbox/process-run.js'

/** The user's own check (a test suite) may be chatty; past this it is stuck in a loop, not testing. */
const MAX_OUTPUT_BYTES = 100 * 1024 * 1024

export interface ShellResult {
  exitCode: number
  /** stdout and stderr interleaved in arrival order. */
  output: string
  /** Set when the command did not exit by itself: `cancelled`, `timed out after 30m`, `killed by SIGSEGV` … */
  failure?: string
  /** Ran in the sandbox. */
  sandboxed: boolean
}

export type {OutputSink}

/**
 * Runs a command line the policy approved (`faithh run`, `plan --verify`), in the sandbox, passing
 * output through as it comes (for the user) while keeping it (for the model). A timeout ends it with
 * exit code 124, as timeout(1) does; Ctrl-C with 130.
 */
export async function runShell(
  command: ApprovedCommand,
  {signal, timeoutMs, onOutput}: {signal: AbortSignal; timeoutMs: number; onOutput: OutputSink},
): Promise<ShellResult> {
  const run = await command.run({signal, timeoutMs, maxOutputBytes: MAX_OUTPUT_BYTES, onOutput})
  const failure =
    run.status === 'cancelled'
      ? 'cancelled'
      : run.status === 'timed_out'
        ? `timed out after ${formatDuration(timeoutMs)}`
        : run.status === 'output_limit'
          ? `stopped: output exceeded ${MAX_OUTPUT_BYTES / 1024 / 1024} MB`
          : run.status === 'failed_to_start'
            ? `could not start: ${run.error}`
            : run.signal
              ? `killed by ${run.signal}`
              : undefined
  return {exitCode: run.exitCode, output: run.output, failure, sandboxed: run.sandboxed}
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 120) return `${seconds}s`
  return seconds % 60 === 0 ? `${seconds / 60}m` : `${Math.floor(seconds / 60)}m${seconds % 60}s`
}
