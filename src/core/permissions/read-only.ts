import path from 'node:path'

import {FIND_RUNS, FIND_WRITES, OUTPUT_OPTIONS, RISKY_OPTIONS} from './command-table.js'
import {parseShell, type ShellScript} from './shell.js'
import {evaluateWord} from './words.js'

/**
 * Is a line read-only: does every command in it only read and print, whatever it reads? This is
 * what stays allowed without asking where no sandbox works. It is deliberately narrow: a program
 * not listed here, a write redirection, a variable assignment, anything only known at run time —
 * and the line is not read-only (it asks instead).
 */
export async function isReadOnlyLine(line: string, {home, cwd}: {home: string; cwd?: string}): Promise<boolean> {
  let script: ShellScript
  try {
    script = await parseShell(line)
  } catch {
    return false
  }

  if (script.problems.length > 0 || script.assignments.length > 0 || script.commands.length === 0) return false
  for (const redirect of script.redirects) {
    if (['<', '<<', '<<<', '<<-'].includes(redirect.op)) continue
    const target = redirect.target ? evaluateWord(redirect.target, {home, cwd})?.value : undefined
    if (target === undefined) return false
    if ((redirect.op === '>&' || redirect.op === '<&') && /^(\d+-?|-)$/.test(target)) continue
    if (!/^\/dev\/(null|stdout|stderr)$/.test(target)) return false
  }

  for (const command of script.commands) {
    const argv = command.argv.map((word) => evaluateWord(word, {home, cwd}))
    if (argv.some((word) => word === undefined)) return false
    const values = argv.map((word) => word!.value)
    const name = values[0] === undefined ? undefined : path.posix.basename(values[0])
    const check = name === undefined ? undefined : READ_ONLY_PROGRAMS[name]
    if (!check?.(values.slice(1)) || !withoutTableOptions(name!, values.slice(1))) return false
  }

  return true
}

type ArgsCheck = (args: string[]) => boolean

const always: ArgsCheck = () => true
/** None of these options, long ones also as `--opt=value`, short ones also inside a cluster (`-no out`). */
const without =
  (...options: string[]): ArgsCheck =>
  (args) =>
    !args.some((arg) =>
      options.some((option) =>
        option.startsWith('--')
          ? arg === option || arg.startsWith(`${option}=`)
          : !arg.startsWith('--') && (/^-([A-Za-z]*)/.exec(arg)?.[1] ?? '').includes(option[1]!),
      ),
    )

/**
 * None of the options the command table knows to run a program or write a file for this program
 * (RISKY_OPTIONS, OUTPUT_OPTIONS; for git also those of its subcommand): the policy's own list, so
 * that a line it asks about (`printf -v 'a[$(…)]'`, `sort -o`) is never read-only here.
 */
function withoutTableOptions(name: string, args: string[]): boolean {
  const subcommand = name === 'git' ? args.find((arg) => !arg.startsWith('-')) : undefined
  const options = [
    ...(RISKY_OPTIONS[name] ?? []).map(({option}) => option),
    ...(subcommand ? (RISKY_OPTIONS[`git ${subcommand}`] ?? []).map(({option}) => option) : []),
    ...(OUTPUT_OPTIONS[name] ?? []),
  ]
  return options.length === 0 || without(...options)(args)
}

/** `uniq in out` writes `out`. */
const atMostOneOperand: ArgsCheck = (args) => args.filter((arg) => !arg.startsWith('-')).length <= 1

/** find's actions that run, delete or write. */
const findReads: ArgsCheck = (args) => !args.some((arg) => FIND_RUNS.has(arg) || arg === '-delete' || FIND_WRITES.has(arg))

/** git subcommands that only show: no global options (`-c`, `-C`, `--git-dir` …), no output files, no external programs. */
const GIT_SHOWING = new Set(['status', 'diff', 'log', 'show', 'rev-parse', 'ls-files', 'blame', 'describe', 'shortlog', 'branch'])
const gitReads: ArgsCheck = (args) => {
  const rest = args[0] === '--no-pager' ? args.slice(1) : args
  const [subcommand, ...options] = rest
  if (subcommand === undefined || !GIT_SHOWING.has(subcommand)) return false
  if (!without('--output', '--ext-diff', '--textconv')(options)) return false
  // `git branch x` creates a branch; listing takes only options.
  if (subcommand === 'branch')
    return options.every(
      (arg) => arg.startsWith('-') && !/^-(d|D|m|M|c|C|f|u)$|^--(delete|move|copy|force|set-upstream|unset-upstream|edit-description)/.test(arg),
    )
  return true
}

const READ_ONLY_PROGRAMS: Record<string, ArgsCheck> = {
  ...Object.fromEntries(
    [
      'ls',
      'cat',
      'head',
      'tail',
      'wc',
      'grep',
      'egrep',
      'fgrep',
      'cut',
      'tr',
      'diff',
      'cmp',
      'stat',
      'file',
      'du',
      'nl',
      'basename',
      'dirname',
      'realpath',
      'readlink',
      'which',
      'whoami',
      'uname',
      'sha256sum',
      'sha1sum',
      'md5sum',
      'echo',
      'printf',
      'true',
      'false',
      'pwd',
      'test',
      '[',
      'cd',
      'pushd',
      'popd',
    ].map((name) => [name, always]),
  ),
  // Their output and program options are the command table's (withoutTableOptions).
  sort: always,
  uniq: atMostOneOperand,
  date: without('-s', '--set'),
  tree: always,
  find: findReads,
  rg: without('--pre-glob'),
  git: gitReads,
}
