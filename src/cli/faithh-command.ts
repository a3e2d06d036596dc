import {Command} from '@oclif/core'

import {debugChannel} from '../core/debug-channel.js'
import {errorJson, FaithhError, isFaithhError} from '../core/errors.js'
import {styleFor} from '../render/style.js'
import {ExitCode, exitCodeForError} from './exit-codes.js'

const debug = debugChannel('faithh:error')

/** What oclif's own errors carry: `this.exit()` (EEXIT) and flag or argument errors, with their exit code. */
type OclifError = Error & {code?: string; oclif?: {exit?: number}}

/**
 * The base of every faithh command: the one place a failure becomes output and an exit code.
 * A FaithhError prints as one line, `error: <message> — <hint>`, on stderr (plus
 * `{"error": {"code", "message", "hint"}}` on stdout under --json), and exits with its code's exit
 * code (src/cli/exit-codes.ts). `DEBUG=faithh*` adds the stack and every `cause` behind it.
 * Commands throw; they never catch to render.
 */
export abstract class FaithhCommand extends Command {
  private readonly closers: (() => Promise<void>)[] = []

  /**
   * Closes `resource` when the command ends, however it ends (done, thrown, this.exit()): for the
   * MCP servers and the embedded Chroma a workspace starts, so none outlives the command.
   */
  protected closeWhenDone<T extends {close(): Promise<void>}>(resource: T): T {
    this.closers.push(() => resource.close())
    return resource
  }

  protected override async finally(error: Error | undefined): Promise<unknown> {
    for (const close of this.closers.splice(0).reverse()) await close().catch((failure) => debug('closing failed: %O', failure))
    return super.finally(error)
  }

  protected override async catch(error: OclifError): Promise<unknown> {
    // this.exit(): already decided, nothing to print.
    if (error?.code === 'EEXIT') throw error
    // Ctrl-C inside an inquirer prompt: the same as Ctrl-C anywhere else.
    if (error?.name === 'ExitPromptError') this.exit(ExitCode.cancelled)

    const failure = asFaithhError(error)
    debug('%s', stackWithCauses(error))
    // The person watching reads stderr, also under --json (where progress goes too); a script reads stdout.
    if (this.wantsJson()) process.stdout.write(JSON.stringify(errorJson(failure)) + '\n')
    const unexpected = failure.code === 'failure' && !isFaithhError(error) && !debug.enabled
    const note = unexpected ? ' (unexpected: run again with DEBUG=faithh* to see where it failed)' : ''
    process.stderr.write(styleFor(process.stderr).red(`error: ${failure.message}${note}`) + '\n')

    this.exit(error?.oclif?.exit ?? exitCodeForError(failure.code))
  }

  /**
   * --json was given: the commands with oclif's JSON flag, and the streaming ones (ask, chat, edit,
   * gen, plan, run) whose own --json prints results as they come. Read from argv, so that a flag
   * error is reported as JSON too.
   */
  protected wantsJson(): boolean {
    if (this.jsonEnabled()) return true
    if (!this.ctor.flags?.json && !this.ctor.enableJsonFlag) return false
    const end = this.argv.indexOf('--')
    const json = this.argv.indexOf('--json')
    return json !== -1 && (end === -1 || json < end)
  }
}

/** oclif's flag and argument errors are usage errors; anything else unexpected is reported, with itself as the cause. */
function asFaithhError(error: OclifError): FaithhError {
  if (isFaithhError(error)) return error
  const message = error?.message || String(error)
  if (error?.oclif) return new FaithhError('usage', message, {cause: error})
  return new FaithhError('failure', message, {cause: error})
}

function stackWithCauses(error: unknown): string {
  const lines: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    const described = current instanceof Object && 'stack' in current && current.stack ? String(current.stack) : String(current)
    lines.push(depth === 0 ? described : `caused by: ${described}`)
    current = (current as {cause?: unknown}).cause
  }

  return lines.join('\n')
}
