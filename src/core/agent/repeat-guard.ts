import {canonicalJson} from '../canonical-json.js'

/**
 * Small models get stuck calling the same tool with the same arguments over and over, spending the
 * whole step budget on one result they already have. A call counts as a repeat when it matches an
 * earlier one exactly (same tool, same arguments in any key order) and no call that changes the
 * project has succeeded since: re-reading a file after editing it, or re-running the tests after a
 * fix, is progress, not a loop.
 *
 * The first repeat runs (a command may have failed for a passing reason). From the second repeat on
 * the call is not run: with nothing changed, a read returns what the model already has, and a
 * command or edit would do the same thing again (and ask the user again). The model gets a result
 * that says so and what to do instead. At the fourth repeat the run stops.
 */
const REFUSE_FROM_REPEAT = 2
const STOP_AT_REPEAT = 4

export type RepeatVerdict = {action: 'run'} | {action: 'refuse'; output: string} | {action: 'stop'; message: string}

export class RepeatGuard {
  /** Steps at which each call (by canonical key) was made since the project last changed. */
  private readonly seen = new Map<string, number[]>()

  /** Decides about a call before it runs, and counts it. */
  check(name: string, args: Record<string, unknown>, step: number): RepeatVerdict {
    const key = `${name}\u0000${canonicalJson(args)}`
    const steps = this.seen.get(key) ?? []
    const repeats = steps.length
    this.seen.set(key, [...steps, step])
    if (repeats < REFUSE_FROM_REPEAT) return {action: 'run'}
    const earlier = `${repeats} times before (step${repeats === 1 ? '' : 's'} ${steps.join(', ')})`
    if (repeats >= STOP_AT_REPEAT) {
      return {
        action: 'stop',
        message:
          `stopped: the model called ${name} with the same arguments ${repeats + 1} times without anything changing in between — ` +
          'it is stuck; rephrase the request, give it the detail it is missing, or use a larger model',
      }
    }

    return {
      action: 'refuse',
      output:
        `${name}: not run — you already called ${name} with exactly these arguments ${earlier}, and nothing has changed since, ` +
        'so the result would be the same. Use the result you already have; if it was not what you needed, change the arguments ' +
        '(another path, line range or pattern) or use a different tool; if you have enough to answer, answer now.',
    }
  }

  /** After a call ran: a successful change to the project makes every earlier call worth repeating. */
  record(changedProject: boolean): void {
    if (changedProject) this.seen.clear()
  }
}
