import type {Command} from '@oclif/core'

import {ConfigError} from '../core/config/load.js'
import {LlmError} from '../core/llm/errors.js'
import {ExitCode, exitCodeForError} from './exit-codes.js'

/** Expected failures become one actionable line and a meaningful exit code; anything else is a bug and keeps its stack. */
export function handleCommandError(command: Command, error: unknown): never {
  if (error instanceof ConfigError) command.error(error.message, {exit: ExitCode.usage})
  if (error instanceof LlmError) command.error(error.message, {exit: exitCodeForError(error.code)})
  throw error
}
