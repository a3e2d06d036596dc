import path from 'node:path'

import {expandGlob, type Arg} from './arguments.js'
import {ask, deny, type PermissionDecision} from './decision.js'
import {isInside} from './paths.js'
import type {Judge, Scene} from './scene.js'

type Place = Pick<Scene, 'shown' | 'cwd'> & {fromFind?: boolean}

/** A word naming a file the command reads: forbidden files are denied, files outside the project asked about. */
export async function readArg(judge: Judge, arg: Arg, scene: Place): Promise<PermissionDecision[]> {
  if (arg.value === undefined) {
    return [ask(`${scene.shown} uses \`${arg.text}\`, which is only known at run time and could name any file`)]
  }

  const files = await filesOf(arg, scene)
  if (typeof files === 'string') return [ask(`${scene.shown} uses \`${arg.text}\`: ${files}`)]
  const root = await judge.paths.realRoot()
  const decisions: PermissionDecision[] = []
  for (const file of files) {
    const decision = await judge.paths.checkRead(file, {cwd: scene.cwd})
    if (decision.verdict !== 'allow') {
      decisions.push({verdict: decision.verdict, reason: `${scene.shown} reads ${shownPath(file, scene.cwd, root)}: ${decision.reason}`})
    }
  }

  return decisions
}

/** A word naming a file the command writes, changes or deletes: judged by checkWrite. */
export async function writeArg(judge: Judge, arg: Arg, scene: Place, verb: string): Promise<PermissionDecision[]> {
  if (arg.value === undefined) return [ask(`${scene.shown} would ${verb} \`${arg.text}\`, a path only known at run time`)]
  const files = await filesOf(arg, scene)
  if (typeof files === 'string') return [ask(`${scene.shown} would ${verb} \`${arg.text}\`: ${files}`)]
  const root = await judge.paths.realRoot()
  const decisions: PermissionDecision[] = []
  for (const file of files) {
    const decision = await judge.paths.checkWrite(file, {cwd: scene.cwd})
    // Inside the write roots, and yet: `rm -rf .` takes the whole project with it.
    if (verb === 'delete' && !scene.fromFind && decision.verdict !== 'deny' && decision.abs && isInside(decision.abs, root)) {
      decisions.push(deny(`${scene.shown} would delete the whole project (${root})`))
      continue
    }

    decisions.push({verdict: decision.verdict, reason: `${scene.shown} would ${verb} ${shownPath(file, scene.cwd, root)}: ${decision.reason}`})
  }

  return decisions
}

/** The files a static word names (globs expanded), or why they cannot be known. */
async function filesOf(arg: Arg, scene: {cwd: string | undefined}): Promise<string[] | string> {
  const value = arg.value!
  if (!path.isAbsolute(value) && scene.cwd === undefined) return 'it is relative to a folder only known at run time (after a computed `cd`)'
  if (!arg.pattern) return [value]
  const matches = await expandGlob(arg.pattern, scene.cwd ?? '/')
  return matches ?? 'the pattern matches too many files to check'
}

/**
 * Glob matches come back absolute: show them as typed. A relative path after a `cd` elsewhere is
 * shown absolute, or `rm -rf .cache` would read as the project's .cache.
 */
function shownPath(file: string, cwd: string | undefined, root: string): string {
  if (cwd === undefined) return file
  if (!path.isAbsolute(file)) return cwd === root ? file : path.join(cwd, file)
  return isInside(cwd, file) && file !== cwd ? path.relative(cwd, file) : file
}
