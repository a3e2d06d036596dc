import type {Arg} from './arguments.js'
import {GIT_BRANCH_LISTING, GIT_HARMLESS_GLOBALS, GIT_RISKY_GLOBALS} from './command-table.js'
import {ask, type PermissionDecision} from './decision.js'

/** git's global options split off: the argv rules are matched against, and the risky options seen. */
export function gitCommand(args: Arg[]): {argv: Arg[]; risky: string[]} {
  const risky: string[] = []
  let i = 1
  for (; i < args.length; i += 1) {
    const value = args[i]!.value
    if (value === undefined || !value.startsWith('-')) break
    const option = GIT_RISKY_GLOBALS.find((name) => value === name || value.startsWith(`${name}=`) || (name.length === 2 && value.startsWith(name)))
    if (option) {
      risky.push(option)
      // `-c k=v` and `-C dir` take the next word; `--git-dir=x` carries its value.
      if (value === option) i += 1
    } else if (!GIT_HARMLESS_GLOBALS.has(value)) break
  }

  return {argv: [args[0]!, ...args.slice(i)], risky}
}

/** `git branch` lists; with a name or -d/-m/-c it creates, renames or deletes. */
export function gitBranchChanges(rest: Arg[], shown: string): PermissionDecision[] {
  const listing = rest.some((arg) => arg.value === '--list' || arg.value === '-l')
  const changing = rest.find((arg) => {
    const value = arg.value
    if (value === undefined) return true
    if (!value.startsWith('-')) return !listing
    return !GIT_BRANCH_LISTING.has(value.split('=')[0]!)
  })
  return changing ? [ask(`${shown} creates, renames or deletes a branch`)] : []
}

/** `git show HEAD:.env` prints a file from history: the part after the colon is a path too. */
export function withRevisionPath(arg: Arg): Arg[] {
  const value = arg.value
  const colon = value?.indexOf(':') ?? -1
  if (value === undefined || colon === -1 || value.startsWith('-')) return [arg]
  const file = value.slice(colon + 1).replace(/^\.\//, '')
  return file === '' ? [arg] : [arg, {...arg, text: file, value: file, pattern: undefined}]
}
