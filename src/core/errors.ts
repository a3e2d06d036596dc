import type {LlmErrorCode} from './llm/errors.js'
import type {PlanErrorCode} from './plan/plan-error.js'
import type {RagErrorCode} from './rag/rag-error.js'

/**
 * Every code a FaithhError can carry. Each one has its exit code in src/cli/exit-codes.ts (the
 * compiler checks none is missing), and scripts see it as `error.code` under --json.
 */
export type FaithhErrorCode =
  /** Something failed that has no more specific code. */
  | 'failure'
  /** Bad flags or arguments, or input that names nothing usable (a file, a template, a variable). */
  | 'usage'
  /** .faithh/config.json, the environment or the flags do not make a valid configuration. */
  | 'config'
  /** A saved chat session is missing or unreadable. */
  | 'session'
  /** A confirmation was refused or could not be asked, or the policy said no. */
  | 'refused'
  | 'max_steps'
  /** The model kept making the same call: stopped like max_steps, before the step budget was wasted. */
  | 'repeated_call'
  | LlmErrorCode
  | RagErrorCode
  | PlanErrorCode

export interface FaithhErrorOptions {
  /** What to do next: a command to run, a flag or key to set. Shown after the message. */
  hint?: string
  /** The error this one explains, kept for `DEBUG=faithh*`. */
  cause?: unknown
}

/**
 * An expected failure, worded for the person who has to act on it. Commands never catch these one
 * by one: the base command (src/cli/faithh-command.ts) prints them and exits with their code's exit code.
 * `message` is the whole line ("problem — hint"), as events, the web UI and logs show it.
 */
export class FaithhError<C extends FaithhErrorCode = FaithhErrorCode> extends Error {
  override name = 'FaithhError'
  /** The message without the hint. */
  readonly problem: string
  readonly hint?: string

  constructor(
    readonly code: C,
    problem: string,
    options: FaithhErrorOptions = {},
  ) {
    super(options.hint ? `${problem} — ${options.hint}` : problem, options.cause === undefined ? undefined : {cause: options.cause})
    this.problem = problem
    this.hint = options.hint
  }
}

/** The one type check front ends need (they never test for the subclasses). */
export function isFaithhError(error: unknown): error is FaithhError {
  return error instanceof FaithhError
}

/** The `{error}` object of --json output: the same shape whichever command failed. */
export function errorJson(error: FaithhError): {error: {code: FaithhErrorCode; message: string; hint?: string}} {
  return {error: {code: error.code, message: error.problem, ...(error.hint ? {hint: error.hint} : {})}}
}
