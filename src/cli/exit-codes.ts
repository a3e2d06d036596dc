/** Exit codes are part of the interface: Makefiles and scripts branch on them. Documented in README. */
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
  cancelled: 130,
} as const

export function exitCodeForError(code: string): number {
  switch (code) {
    case 'unreachable':
      return ExitCode.unreachable
    case 'model_missing':
      return ExitCode.modelMissing
    case 'max_steps':
    case 'repeated_call': // the model kept repeating one call: the step budget would only have been wasted
      return ExitCode.maxSteps
    case 'refused':
      return ExitCode.refused
    case 'chroma_unreachable':
      return ExitCode.chromaUnreachable
    case 'no_index':
      return ExitCode.noIndex
    case 'aborted':
      return ExitCode.cancelled
    default:
      return ExitCode.failure
  }
}
