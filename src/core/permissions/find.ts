import path from 'node:path'

import type {Arg} from './arguments.js'
import {FIND_RUNS, FIND_VALUE_TESTS, FIND_WRITES, TEXT_ARGUMENTS} from './command-table.js'
import {ask, type PermissionDecision} from './decision.js'
import {readArg, writeArg} from './file-arguments.js'
import {ruleDecision} from './programs.js'
import type {Judge, Scene} from './scene.js'

/** `find` lists files; -exec/-ok run a command on them, -delete and -fprint write. */
export async function judgeFind(judge: Judge, args: Arg[], scene: Scene): Promise<PermissionDecision[]> {
  const decisions: PermissionDecision[] = []
  let i = 1
  while (args[i]?.value !== undefined && /^-([HLP]|O\d*|D)$/.test(args[i]!.value!)) i += args[i]!.value === '-D' ? 2 : 1
  const starts: Arg[] = []
  for (; i < args.length; i += 1) {
    const value = args[i]!.value
    if (value !== undefined && (value.startsWith('-') || ['(', ')', '!', ','].includes(value))) break
    starts.push(args[i]!)
  }

  if (starts.length === 0) starts.push({text: '.', value: '.', start: 0, end: 0})
  for (const start of starts) decisions.push(...(await readArg(judge, start, scene)))

  for (; i < args.length; i += 1) {
    const value = args[i]!.value
    if (value === undefined) continue
    if (FIND_RUNS.has(value)) {
      let end = i + 1
      while (end < args.length && args[end]!.value !== ';' && args[end]!.value !== '+') end += 1
      decisions.push(...(await judgeFindExec(judge, args.slice(i + 1, end), starts, scene)))
      i = end
    } else if (value === '-delete') {
      for (const start of starts) decisions.push(...(await writeArg(judge, start, {...scene, fromFind: true}, 'delete')))
    } else if (FIND_WRITES.has(value)) {
      const file = args[i + 1]
      if (file) decisions.push(...(await writeArg(judge, file, scene, 'write')))
      i += value === '-fprintf' ? 2 : 1
    } else if (FIND_VALUE_TESTS.has(value)) {
      i += 1
    }
  }

  decisions.push(ruleDecision(judge, args, scene))
  return decisions
}

async function judgeFindExec(judge: Judge, inner: Arg[], starts: Arg[], scene: Scene): Promise<PermissionDecision[]> {
  if (inner.length === 0) return [ask(`${scene.shown}: -exec is missing its command`)]
  const decisions: PermissionDecision[] = []
  const usesFound = inner.some((arg) => arg.value?.includes('{}'))
  const name = path.posix.basename(inner[0]!.value ?? '')
  // `find . -name .env -exec cat {} ;` names no file, yet prints .env: the files found are unknown.
  if (usesFound && !TEXT_ARGUMENTS.has(name)) {
    const command = inner.map((arg) => arg.text).join(' ')
    decisions.push(ask(`${scene.shown} runs \`${command}\` on every file it finds; which files cannot be known before it runs`))
  }

  // Judged once per starting point, with {} standing for it: `find / -exec rm {} ;` deletes under /.
  for (const start of starts) {
    const argv = inner.map((arg) =>
      arg.value?.includes('{}') ? {...arg, value: start.value === undefined ? undefined : arg.value.replaceAll('{}', start.value), pattern: undefined} : arg,
    )
    decisions.push(...(await judge.judgeArgv(argv, {...scene, fromFind: true})))
  }

  return decisions
}
