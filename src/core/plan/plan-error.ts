import {FaithhError} from '../errors.js'

/** Expected failures of `faithh plan`, each with a message that says what to do next. */
export type PlanErrorCode = 'invalid_plan' | 'dirty' | 'refused' | 'not_found' | 'busy' | 'git'

export class PlanError extends FaithhError<PlanErrorCode> {
  override name = 'PlanError'
}
