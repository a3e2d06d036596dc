import type {FaithhErrorCode} from '../core/errors.js'

/**
 * Exit codes are part of the interface: Makefiles and scripts branch on them. The README's "Exit
 * codes" table lists exactly these (test/cli/exit-codes.test.ts checks it).
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
  modelMissing: 4,
  maxSteps: 5,
  /** A confirmation was needed and refused (or could not be asked: no terminal), or the policy denied. */
  refused: 6,
  /** The configured Chroma server cannot be reached (or the embedded one would not start). */
  chromaUnreachable: 7,
  /** `faithh search` before `faithh index`. */
  noIndex: 8,
  /** `faithh run`: the command ran out of time and was stopped, as timeout(1) reports it (src/core/sandbox/process-run.ts). */
  timedOut: 124,
  cancelled: 130,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

/** The one table from an error's code to the process's exit code; the compiler checks every code is here. */
export const exitCodeByError = {
  failure: ExitCode.failure,
  usage: ExitCode.usage,
  config: ExitCode.usage,
  session: ExitCode.usage,
  refused: ExitCode.refused,
  max_steps: ExitCode.maxSteps,
  // the model kept repeating one call: the step budget would only have been wasted
  repeated_call: ExitCode.maxSteps,
  // Ollama
  unreachable: ExitCode.unreachable,
  model_missing: ExitCode.modelMissing,
  no_tools: ExitCode.failure,
  ollama_error: ExitCode.failure,
  aborted: ExitCode.cancelled,
  // the codebase index
  chroma_unreachable: ExitCode.chromaUnreachable,
  chroma_failed: ExitCode.failure,
  no_index: ExitCode.noIndex,
  index_busy: ExitCode.failure,
  // faithh plan
  invalid_plan: ExitCode.failure,
  dirty: ExitCode.failure,
  not_found: ExitCode.usage,
  busy: ExitCode.failure,
  git: ExitCode.failure,
} as const satisfies Record<FaithhErrorCode, ExitCodeValue>

/** The exit code for an error code, also one that arrives as a string (an agent `error` event, a saved plan step). */
export function exitCodeForError(code: string): ExitCodeValue {
  return Object.hasOwn(exitCodeByError, code) ? exitCodeByError[code as FaithhErrorCode] : ExitCode.failure
}
