/** Exit codes are part of the interface: Makefiles and scripts branch on them. Documented in README. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
  unreachable: 3,
  modelMissing: 4,
  maxSteps: 5,
  cancelled: 130,
} as const

export function exitCodeForError(code: string): number {
  switch (code) {
    case 'unreachable':
      return ExitCode.unreachable
    case 'model_missing':
      return ExitCode.modelMissing
    case 'max_steps':
      return ExitCode.maxSteps
    case 'aborted':
      return ExitCode.cancelled
    default:
      return ExitCode.failure
  }
}
