import {accessSync, constants} from 'node:fs'
import path from 'node:path'

import {sandboxConfigSchema} from '../../src/core/sandbox/config.js'
import {Sandbox} from '../../src/core/sandbox/sandbox.js'

/**
 * What some tests need from the machine beyond `npm install`: a working sandbox (bubblewrap, and the
 * kernel letting it create namespaces) and strace. `npm test` passes on a fresh machine without
 * them: those tests are skipped, each file saying once what to install. CI installs both (.ci/run).
 */

/** Found out the way faithh does (so FAITHH_BWRAP= turns it off for the tests and the product alike). */
const sandbox = await new Sandbox({root: process.cwd(), config: sandboxConfigSchema.parse({})}).report()

/** For `describe.skipIf(!needsSandbox('…'))`: whether faithh's sandbox works here; if not, says what is skipped and why. */
export function needsSandbox(what: string): boolean {
  if (!sandbox.enabled) note(what, `no sandbox works here: ${sandbox.reason}`)
  return sandbox.enabled
}

/**
 * For tests that run commands to test something other than the sandbox (plan --verify, run --fix, a
 * Makefile, a plugin's command): the sandbox turned off on purpose, as `"sandbox": "off"` does, and
 * the commands approved with --yes, so that they run alike on every machine. Without a sandbox,
 * faithh refuses a headless command that is not read-only unless both are given. The sandbox's own
 * tests (test/core/sandbox, test/e2e/sandbox-*) run where one works.
 */
export const UNSANDBOXED_COMMANDS = {FAITHH_SANDBOX: 'off'}

/** The same for tests that build the sandbox themselves. */
export const SANDBOX_OFF = {mode: 'off'} as const

/**
 * For tests of what commands do once they run (output, exit codes, timeouts): each row under the
 * default sandbox where one works, and with the sandbox off (approved as --yes would) everywhere.
 */
export function commandModes(what: string): Array<{mode: string; sandbox: {mode?: 'off'}}> {
  return [...(needsSandbox(`${what}, sandboxed`) ? [{mode: 'sandboxed', sandbox: {}}] : []), {mode: 'unsandboxed ("sandbox": "off")', sandbox: SANDBOX_OFF}]
}

/** strace on PATH, or undefined. */
export const strace = onPath('strace')

export function needsStrace(what: string): boolean {
  if (!strace) note(what, 'strace is not installed — apt-get install strace to run them')
  return strace !== undefined
}

function note(what: string, why: string): void {
  console.log(`skipped: ${what}: ${why}`)
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue
    try {
      accessSync(path.join(dir, name), constants.X_OK)
      return path.join(dir, name)
    } catch {}
  }

  return undefined
}
