import path from 'node:path'

import type {Arg} from './arguments.js'
import {isDownloader, judgeEval, judgeInterpreter, judgeShell, judgeSource} from './code-runners.js'
import {DANGEROUS_VARIABLES, SHELLS, WRAPPERS, interpreterFamily} from './command-table.js'
import type {PermissionsConfig} from './config.js'
import {allow, ask, deny, strictest, type CommandDecision, type PermissionDecision} from './decision.js'
import {readArg, writeArg} from './file-arguments.js'
import {judgeFind} from './find.js'
import {gitCommand} from './git.js'
import type {PathPolicy} from './paths.js'
import {judgeProgram} from './programs.js'
import {compileCommandRules, matchCommandRule} from './rules.js'
import type {Judge, Outer, Scene} from './scene.js'
import {clip, parseShell, type ShellRedirect, type ShellScript, type SimpleCommand} from './shell.js'
import {evaluateWord, type ShellWord} from './words.js'
import {judgeWrapper} from './wrappers.js'

/** A line longer than this cannot be reviewed by a person in a prompt: write a script and run that. */
const MAX_LINE_BYTES = 16 * 1024
/** Control characters can redraw the terminal; invisible and bidi characters make the shown line differ from the run one. */
const DECEPTIVE_IN_LINE = /[\u0000-\u0008\u000b-\u001f\u007f\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u
const SHELL_VARIABLE_BUILTINS = new Set(['export', 'declare', 'typeset', 'local', 'readonly', 'unset'])
const SAFE_DEVICES = /^\/dev\/(null|stdout|stderr|stdin|tty|fd\/[0-2])$/

export interface CommandJudge {
  checkCommand(line: string, options?: {cwd?: string}): Promise<CommandDecision>
}

/**
 * Judges a shell line without running any of it: every simple command, redirection and assignment
 * the parser finds (see shell.ts) gets a decision, and the strictest one is the line's.
 */
export function createCommandJudge(paths: PathPolicy, config: PermissionsConfig, home: string): CommandJudge {
  const judge: Judge = {
    paths,
    home,
    allowRules: compileCommandRules(config.commands.allow),
    denyRules: compileCommandRules(config.commands.deny),
    judgeText,
    judgeArgv,
  }

  async function judgeText(text: string, cwd: string | undefined, outer: Outer): Promise<PermissionDecision[]> {
    let script: ShellScript
    try {
      script = await parseShell(text)
    } catch (error) {
      return [ask(`\`${clip(text)}\` could not be parsed (${(error as Error).message}); it needs confirmation`)]
    }

    return judgeScript(script, text, cwd, outer)
  }

  async function judgeScript(script: ShellScript, text: string, cwd: string | undefined, outer: Outer): Promise<PermissionDecision[]> {
    const download = outer.download ?? script.commands.find(isDownloader)
    const decisions: PermissionDecision[] = script.problems.map((problem) => ask(`\`${clip(text)}\` cannot be judged without running it: ${problem}`))
    for (const assignment of script.assignments) {
      if (DANGEROUS_VARIABLES.test(assignment.name)) {
        decisions.push(ask(`\`${clip(assignment.text)}\` sets ${assignment.name}, which changes what programs run or load`))
      }
    }

    // A `cd` moves the commands after it in its own subshell scope (and the scopes inside that one).
    const moves: Array<{scope: number; cwd: string | undefined}> = []
    const cwdIn = (scopes: number[]): string | undefined => {
      for (let i = moves.length - 1; i >= 0; i -= 1) if (scopes.includes(moves[i]!.scope)) return moves[i]!.cwd
      return cwd
    }

    const items: Array<SimpleCommand | ShellRedirect> = [...script.commands, ...script.redirects].sort((a, b) => a.start - b.start)
    for (const item of items) {
      const here = cwdIn(item.scopes)
      if ('op' in item) {
        decisions.push(...(await judgeRedirect(item, here)))
        continue
      }

      const args = item.argv.map((word) => toArg(word, here))
      outer.found.push(args.map((arg) => arg.value ?? arg.text))
      const name = args[0]?.value
      if (name === 'cd' || name === 'pushd' || name === 'popd') {
        moves.push({scope: item.scopes.at(-1)!, cwd: name === 'popd' ? undefined : changedDir(args, here)})
        decisions.push(allow(`\`${clip(item.text)}\` only changes the current folder`))
        continue
      }

      // Their assignments were judged above; substitutions in them are commands of their own.
      if (name !== undefined && SHELL_VARIABLE_BUILTINS.has(name)) {
        decisions.push(allow(`\`${clip(item.text)}\` only sets shell variables`))
        continue
      }

      const scene: Scene = {
        cwd: here,
        shown: `\`${clip(item.text)}\``,
        upstream: item.upstream.length > 0 ? item.upstream : outer.upstream,
        script,
        depth: outer.depth,
        inputArgs: false,
        fromFind: false,
        input: item.input,
        download,
        found: outer.found,
      }
      decisions.push(...(await judgeArgv(args, scene)))
    }

    return decisions
  }

  function toArg(word: ShellWord, cwd: string | undefined): Arg {
    const evaluated = evaluateWord(word, {home, cwd})
    return {text: word.text, value: evaluated?.value, pattern: evaluated?.pattern, start: word.start, end: word.end}
  }

  /** bash's `cd` is logical: `cd link/..` goes back where it came from, as path.resolve does. */
  function changedDir(args: Arg[], cwd: string | undefined): string | undefined {
    const target = args.slice(1).find((arg) => !/^-[LPe@]+$/.test(arg.value ?? ''))
    if (!target) return home
    if (target.value === undefined || target.pattern || target.value === '-' || /^[+-]\d+$/.test(target.value)) return undefined
    if (path.isAbsolute(target.value)) return target.value
    return cwd === undefined ? undefined : path.resolve(cwd, target.value)
  }

  async function judgeRedirect(redirect: ShellRedirect, cwd: string | undefined): Promise<PermissionDecision[]> {
    if (!redirect.target) return []
    const arg = toArg(redirect.target, cwd)
    const duplicatesFd = redirect.op === '>&' || redirect.op === '<&'
    if (duplicatesFd && arg.value !== undefined && /^(\d+-?|-)$/.test(arg.value)) return []
    if (arg.value !== undefined && SAFE_DEVICES.test(arg.value)) return []
    const place = {shown: `\`${clip(redirect.statement)}\``, cwd}
    const writes = ['>', '>>', '>|', '&>', '&>>', '>&'].includes(redirect.op)
    return writes ? writeArg(judge, arg, place, 'write') : readArg(judge, arg, place)
  }

  async function judgeArgv(args: Arg[], scene: Scene): Promise<PermissionDecision[]> {
    const first = args[0]
    if (!first) return []
    const name = first.value
    if (name === undefined || first.pattern) {
      return [ask(`${scene.shown} runs a command whose name is only known at run time (\`${first.text}\`)`)]
    }

    const base = path.posix.basename(name)
    const denied =
      matchCommandRule(
        judge.denyRules,
        args.map((arg) => arg.value),
        {byName: true},
      ) ??
      (base === 'git'
        ? matchCommandRule(
            judge.denyRules,
            gitCommand(args).argv.map((arg) => arg.value),
            {byName: true},
          )
        : undefined)
    if (denied) return [deny(`${scene.shown} is denied by permissions.commands.deny (${denied.source})`)]

    if (WRAPPERS.has(base)) return judgeWrapper(judge, base, args, scene)
    if (SHELLS.has(base)) return judgeShell(judge, args, scene)
    if (base === 'eval') return judgeEval(judge, args, scene)
    if (base === 'source' || base === '.') return judgeSource(judge, args, scene)
    const family = interpreterFamily(base)
    const asInterpreter = family ? await judgeInterpreter(judge, family, args, scene) : undefined
    if (asInterpreter) return asInterpreter
    if (base === 'find') return judgeFind(judge, args, scene)
    return judgeProgram(judge, base, args, scene)
  }

  return {
    async checkCommand(line, {cwd} = {}) {
      const problem = lineProblem(line)
      if (problem) return {...deny(problem), commands: []}
      const root = await paths.realRoot()
      const found: string[][] = []
      const decisions = await judgeText(line, cwd === undefined ? root : path.resolve(root, cwd), {depth: 0, upstream: [], found})
      return {...strictest(decisions, allow('there is no command to run')), commands: found}
    },
  }
}

/** Refused before parsing: what a person could not review, or what would look different from what runs. */
function lineProblem(line: string): string | undefined {
  if (line.includes('\0')) return 'the command contains a NUL byte'
  if (line.trim() === '') return 'the command is empty'
  const bytes = Buffer.byteLength(line)
  if (bytes > MAX_LINE_BYTES) {
    return `the command is ${bytes} bytes long; the limit is ${MAX_LINE_BYTES} — write a script file (a confirmed write) and run that`
  }

  const deceptive = DECEPTIVE_IN_LINE.exec(line)
  if (deceptive) {
    const code = deceptive[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
    return `the command contains U+${code}, an invisible, control or direction-changing character: what would be shown is not what would run`
  }

  return undefined
}
