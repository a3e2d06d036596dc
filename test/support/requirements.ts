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
  if (!sandbox.enabled) note(what, `no sandbox works here (${sandbox.reason}) — install bubblewrap (apt-get install bubblewrap) to run them`)
  return sandbox.enabled
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
