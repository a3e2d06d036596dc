/** Expected failures of `faithh plan`, each with a message that says what to do next. */
export type PlanErrorCode = 'invalid_plan' | 'dirty' | 'refused' | 'not_found' | 'busy' | 'git'

export class PlanError extends Error {
  override name = 'PlanError'

  constructor(
    readonly code: PlanErrorCode,
    message: string,
  ) {
    super(message)
  }
}
