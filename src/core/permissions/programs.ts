import path from 'node:path'

import {hasOption, splitArgs, type Arg, type SplitArgs} from './arguments.js'
import {OUTPUT_OPTIONS, PURE_WRITERS, RISKY_OPTIONS, SEARCH_VALUE_OPTIONS, TARGETS, TEXT_ARGUMENTS, searchFlavour, type TargetSpec} from './command-table.js'
import {allow, ask, type PermissionDecision} from './decision.js'
import {readArg, writeArg} from './file-arguments.js'
import {gitBranchChanges, gitCommand, withRevisionPath} from './git.js'
import {forbiddenInSearch} from './recursive-reads.js'
import {matchCommandRule} from './rules.js'
import type {Judge, Scene} from './scene.js'

/**
 * An ordinary program: allowed by the rules or asked about, and judged by what its arguments do —
 * the files they name (read, written, deleted) and the options that make it run something else.
 */
export async function judgeProgram(judge: Judge, base: string, args: Arg[], scene: Scene): Promise<PermissionDecision[]> {
  // The specific findings come first: of two asks, the first one's reason is the one shown.
  const decisions = await judgeArguments(judge, base, args, scene)
  if (PURE_WRITERS.has(base)) decisions.push(allow(`${scene.shown} only copies its input`))
  else decisions.push(ruleDecision(judge, base === 'git' ? gitCommand(args).argv : args, scene))
  return decisions
}

/** Allowed by a rule of permissions.commands.allow, or asked about. */
export function ruleDecision(judge: Judge, args: Arg[], scene: Scene): PermissionDecision {
  const rule = matchCommandRule(
    judge.allowRules,
    args.map((arg) => arg.value),
  )
  if (rule) return allow(`${scene.shown} matches permissions.commands.allow (${rule.source})`)
  return ask(`${scene.shown} is not in permissions.commands.allow`)
}

async function judgeArguments(judge: Judge, base: string, args: Arg[], scene: Scene): Promise<PermissionDecision[]> {
  // git's global options (`-C dir`) are not paths: judge what follows the subcommand.
  let checked = args
  let riskKey = base
  const decisions: PermissionDecision[] = []
  if (base === 'git') {
    const git = gitCommand(args)
    checked = git.argv
    riskKey = `git ${git.argv[1]?.value ?? ''}`
    decisions.push(...git.risky.map((option) => ask(`${scene.shown}: \`git ${option}\` can make git run programs or act on another repository`)))
    if (git.argv[1]?.value === 'branch') decisions.push(...gitBranchChanges(git.argv.slice(2), scene.shown))
  }

  for (const key of new Set([base, riskKey])) {
    for (const risky of RISKY_OPTIONS[key] ?? []) {
      if (hasOption(args, risky.option)) decisions.push(ask(`${scene.shown}: ${risky.option} ${risky.why}`))
    }
  }

  if (base === 'make') {
    const override = args.slice(1).find((arg) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(arg.value ?? ''))
    if (override) decisions.push(ask(`${scene.shown} overrides the Makefile variable \`${override.text}\`, which can hold commands`))
  }

  const target = TARGETS[base]
  if (target) return [...decisions, ...(await judgeTargets(judge, base, target, args, scene))]
  if (base === 'sed' && args.some((arg) => /^(-[a-zA-Z]*i|--in-place)/.test(arg.value ?? ''))) {
    const {positional, values} = splitArgs(args.slice(1), ['-e', '--expression', '-f', '--file', '-l', '--line-length'])
    const files = values.some((value) => ['-e', '--expression', '-f', '--file'].includes(value.option)) ? positional : positional.slice(1)
    for (const file of files) decisions.push(...(await writeArg(judge, file, scene, 'change')))
    return decisions
  }

  if (TEXT_ARGUMENTS.has(base)) return decisions
  if (scene.inputArgs) decisions.push(ask(`${scene.shown} gets arguments from xargs' input; the files they name cannot be checked`))

  const outputs = OUTPUT_OPTIONS[base] ?? []
  const search = searchFlavour(base)
  const {positional, values} = splitArgs(checked.slice(1), [...(search ? SEARCH_VALUE_OPTIONS[search]! : []), ...outputs])
  let operands = positional
  // grep's first operand is the pattern, unless -e or -f gave it.
  if (search && !values.some((value) => ['-e', '--regexp', '-f', '--file'].includes(value.option))) operands = operands.slice(1)
  if (base === 'git') operands = operands.slice(1).flatMap((arg) => withRevisionPath(arg))
  if (base === 'uniq' && operands[1]) {
    decisions.push(...(await writeArg(judge, operands[1], scene, 'write')))
    operands = operands.slice(0, 1)
  }

  for (const value of values) {
    if (outputs.includes(value.option)) decisions.push(...(await writeArg(judge, value.arg, scene, 'write')))
    else if (!search || ['-f', '--file', '--ignore-file'].includes(value.option)) decisions.push(...(await readArg(judge, value.arg, scene)))
  }

  for (const operand of operands) decisions.push(...(await readArg(judge, operand, scene)))
  if (search) decisions.push(...(await judgeRecursiveSearch(judge, search, args, values, operands, scene)))
  return decisions
}

/** rm, mv, cp, ln, chmod, tee…: which arguments are written (checkWrite) and which only read. */
async function judgeTargets(judge: Judge, base: string, spec: TargetSpec, args: Arg[], scene: Scene): Promise<PermissionDecision[]> {
  const {positional, values} = splitArgs(args.slice(1), [...spec.valueOptions, ...(spec.targetOption ?? [])])
  const targetDir = values.find((value) => spec.targetOption?.includes(value.option))?.arg
  let writes: Arg[]
  let reads: Arg[] = []
  if (spec.targets === 'all') writes = targetDir ? [targetDir, ...positional] : positional
  else if (targetDir) [writes, reads] = [[targetDir], positional]
  else if (spec.targets === 'all-but-first') writes = values.some((value) => value.option === '--reference') ? positional : positional.slice(1)
  else if (positional.length >= 2) [writes, reads] = [positional.slice(-1), positional.slice(0, -1)]
  // `ln -s target` creates the link in the current folder.
  else [writes, reads] = [base === 'ln' ? [{text: '.', value: '.', start: 0, end: 0}] : [], positional]

  const decisions: PermissionDecision[] = []
  if (base === 'rsync' && [...writes, ...reads].some((arg) => /^[^/]*:/.test(arg.value ?? ''))) {
    decisions.push(ask(`${scene.shown} copies to or from another machine`))
  }

  if (scene.inputArgs) decisions.push(ask(`${scene.shown} gets its targets from xargs' input; they cannot be checked`))
  for (const arg of writes) decisions.push(...(await writeArg(judge, arg, scene, spec.verb)))
  for (const arg of reads) decisions.push(...(await readArg(judge, arg, scene)))
  return decisions
}

/** `grep -r foo .` reads files no argument names: ask when forbidden ones are among them. */
async function judgeRecursiveSearch(
  judge: Judge,
  search: 'grep' | 'rg',
  args: Arg[],
  values: SplitArgs['values'],
  operands: Arg[],
  scene: Scene,
): Promise<PermissionDecision[]> {
  const isRipgrep = search === 'rg'
  const recursive = isRipgrep || args.some((arg) => /^(--(dereference-)?recursive|--directories=recurse|-[a-zA-Z]*[rR][a-zA-Z]*)$/.test(arg.value ?? ''))
  if (!recursive || scene.cwd === undefined) return []
  const showsHidden = ['--hidden', '-.', '-uu', '-uuu'].some((flag) => hasOption(args, flag))
  const excluded = values.flatMap(({option, arg}) => {
    if (arg.value === undefined) return []
    if (option === '--exclude' || option === '--exclude-dir') return [arg.value]
    if (['-g', '--glob', '--iglob'].includes(option) && arg.value.startsWith('!')) return [arg.value.slice(1)]
    return []
  })

  const root = await judge.paths.realRoot()
  const folders = operands.length > 0 ? operands : [{text: '.', value: '.', start: 0, end: 0}]
  for (const folder of folders) {
    if (folder.value === undefined || folder.pattern) continue
    const place = await judge.paths.checkRead(folder.value, {cwd: scene.cwd})
    if (place.verdict !== 'allow' || !place.abs) continue
    const found = await forbiddenInSearch(place.abs, root, judge.paths.isForbidden, {skipsHidden: isRipgrep && !showsHidden, excluded})
    if (found.length === 0) continue
    const names = [...new Set(found.map((rel) => path.posix.basename(rel)))]
    const leaveOut = names.map((name) => (isRipgrep ? `-g '!${name}'` : `--exclude=${name}`)).join(' ')
    return [
      ask(
        `${scene.shown} would also search ${found.join(', ')}, forbidden by permissions.forbidden; ` +
          `leave them out (${leaveOut}) or search a narrower folder`,
      ),
    ]
  }

  return []
}
