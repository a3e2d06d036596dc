/**
 * What the policy knows about particular programs: which run other commands, which run code, which
 * write their arguments, and which options of otherwise harmless programs run or write something.
 * Anything not listed is judged only by the allow/deny rules and by the paths in its arguments.
 */

/** Run the command given in their arguments; judged by that command. */
export const WRAPPERS = new Set([
  'env',
  'nice',
  'timeout',
  'command',
  'exec',
  'nohup',
  'time',
  'stdbuf',
  'setsid',
  'builtin',
  'coproc',
  'ionice',
  'xargs',
  'busybox',
])

/** Options of wrappers that take a value as the next word (so that word is not the wrapped command). */
export const WRAPPER_VALUE_OPTIONS: Record<string, string[]> = {
  env: ['-u', '--unset'],
  nice: ['-n', '--adjustment'],
  timeout: ['-s', '--signal', '-k', '--kill-after'],
  exec: ['-a'],
  time: ['-f', '--format', '-o', '--output'],
  stdbuf: ['-i', '-o', '-e', '--input', '--output', '--error'],
  ionice: ['-c', '--class', '-n', '--classdata', '-p', '--pid'],
  xargs: ['-a', '--arg-file', '-d', '--delimiter', '-E', '-I', '-L', '-n', '--max-args', '-P', '--max-procs', '-s', '--max-chars', '--process-slot-var'],
}

export const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'mksh', 'ash', 'yash', 'fish', 'csh', 'tcsh'])

/** Shell options that take the next word as their value. */
export const SHELL_VALUE_OPTIONS = new Set(['-o', '+o', '-O', '+O', '--rcfile', '--init-file'])

export type InterpreterFamily = 'node' | 'python' | 'perl' | 'ruby' | 'php' | 'lua' | 'r' | 'osascript' | 'pwsh'

export function interpreterFamily(name: string): InterpreterFamily | undefined {
  if (/^(node|nodejs|bun)$/.test(name)) return 'node'
  if (/^(python|pypy)[0-9.]*$/.test(name)) return 'python'
  if (name === 'perl') return 'perl'
  if (name === 'ruby') return 'ruby'
  if (name === 'php') return 'php'
  if (/^lua(jit)?[0-9.]*$/.test(name)) return 'lua'
  if (name === 'Rscript') return 'r'
  if (name === 'osascript') return 'osascript'
  if (name === 'pwsh' || name === 'powershell') return 'pwsh'
  return undefined
}

/** Short-option letters and long options that hand the interpreter code on the command line. */
export const INLINE_CODE: Record<InterpreterFamily, {letters: string; long: string[]}> = {
  node: {letters: 'ep', long: ['--eval', '--print']},
  python: {letters: 'c', long: []},
  perl: {letters: 'eE', long: []},
  ruby: {letters: 'e', long: []},
  php: {letters: 'r', long: []},
  lua: {letters: 'e', long: []},
  r: {letters: 'e', long: []},
  osascript: {letters: 'e', long: []},
  pwsh: {letters: 'c', long: ['-command', '-encodedcommand', '-ec']},
}

/** Interpreter options whose value is the next word, so that word is not the script. */
export const INTERPRETER_VALUE_OPTIONS: Record<InterpreterFamily, string[]> = {
  node: ['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--env-file', '--title'],
  python: ['-W', '-X', '--check-hash-based-pycs'],
  perl: [],
  ruby: ['-I', '-r'],
  php: ['-c', '-d', '-z'],
  lua: ['-l'],
  r: [],
  osascript: ['-l'],
  pwsh: ['-File', '-f'],
}

/** Fetch from the network: their output piped into a shell is download-and-execute. */
export const DOWNLOADERS = new Set([
  'curl',
  'wget',
  'fetch',
  'aria2c',
  'http',
  'https',
  'xh',
  'lwp-request',
  'GET',
  'nc',
  'ncat',
  'socat',
  'ftp',
  'tftp',
  'ssh',
  'scp',
])

export interface TargetSpec {
  /** The verb for reasons: "would delete x". */
  verb: 'delete' | 'write' | 'change' | 'move'
  valueOptions: string[]
  /** Which positional arguments are written; the rest are read. */
  targets: 'all' | 'last' | 'all-but-first'
  /** Option naming the target folder instead of the last argument (`cp -t dir`). */
  targetOption?: string[]
}

/** Programs whose arguments are files they delete, create or change. */
export const TARGETS: Record<string, TargetSpec> = {
  rm: {verb: 'delete', valueOptions: [], targets: 'all'},
  rmdir: {verb: 'delete', valueOptions: [], targets: 'all'},
  unlink: {verb: 'delete', valueOptions: [], targets: 'all'},
  shred: {verb: 'delete', valueOptions: ['-n', '--iterations', '-s', '--size', '--random-source'], targets: 'all'},
  mv: {verb: 'move', valueOptions: ['-S', '--suffix'], targets: 'all', targetOption: ['-t', '--target-directory']},
  cp: {verb: 'write', valueOptions: ['-S', '--suffix'], targets: 'last', targetOption: ['-t', '--target-directory']},
  ln: {verb: 'write', valueOptions: ['-S', '--suffix'], targets: 'last', targetOption: ['-t', '--target-directory']},
  install: {
    verb: 'write',
    valueOptions: ['-m', '--mode', '-o', '--owner', '-g', '--group', '-S', '--suffix'],
    targets: 'last',
    targetOption: ['-t', '--target-directory'],
  },
  rsync: {verb: 'write', valueOptions: ['-e', '--rsh', '--exclude', '--include', '--filter', '-f'], targets: 'last'},
  touch: {verb: 'write', valueOptions: ['-d', '--date', '-r', '--reference', '-t'], targets: 'all'},
  mkdir: {verb: 'write', valueOptions: ['-m', '--mode'], targets: 'all'},
  truncate: {verb: 'write', valueOptions: ['-s', '--size', '-r', '--reference'], targets: 'all'},
  tee: {verb: 'write', valueOptions: [], targets: 'all'},
  chmod: {verb: 'change', valueOptions: [], targets: 'all-but-first'},
  chgrp: {verb: 'change', valueOptions: [], targets: 'all-but-first'},
  chown: {verb: 'change', valueOptions: [], targets: 'all-but-first'},
}

/** `tee` only copies its input: its verdict is that of its writes, not "not in the allow list". */
export const PURE_WRITERS = new Set(['tee'])

/** Whose words are text, not paths: no path checks on them. */
export const TEXT_ARGUMENTS = new Set([
  'echo',
  'printf',
  'true',
  'false',
  'pwd',
  'date',
  'whoami',
  'uname',
  'which',
  'basename',
  'dirname',
  'cd',
  'pushd',
  'popd',
  'test',
  '[',
])

/** Options whose value is the next word; -e/-f also mean there is no positional pattern. */
const SEARCH_COMMON = ['-e', '--regexp', '-f', '--file', '-m', '--max-count', '-A', '--after-context', '-B', '--before-context', '-C', '--context']

export const SEARCH_VALUE_OPTIONS: Record<string, string[]> = {
  grep: [...SEARCH_COMMON, '-d', '--directories', '-D', '--devices', '--include', '--exclude', '--exclude-dir', '--label'],
  // In rg, -r is --replace (not --recursive) and -d is --max-depth.
  rg: [
    ...SEARCH_COMMON,
    '-g',
    '--glob',
    '--iglob',
    '-t',
    '--type',
    '-T',
    '--type-not',
    '--type-add',
    '-j',
    '--threads',
    '-d',
    '--max-depth',
    '-M',
    '--max-columns',
    '-r',
    '--replace',
    '--sort',
    '--sortr',
    '-E',
    '--encoding',
    '--ignore-file',
    '--path-separator',
    '--context-separator',
    '--field-match-separator',
    '--pre',
    '--pre-glob',
    '--colors',
  ],
}

export function searchFlavour(name: string): 'grep' | 'rg' | undefined {
  if (name === 'grep' || name === 'egrep' || name === 'fgrep') return 'grep'
  if (name === 'rg' || name === 'ag' || name === 'ack') return 'rg'
  return undefined
}

/** find's actions that run a command on what it finds. */
export const FIND_RUNS = new Set(['-exec', '-execdir', '-ok', '-okdir'])
/** find's actions that write what it finds to a file (the file is their next word). */
export const FIND_WRITES = new Set(['-fprint', '-fprint0', '-fls', '-fprintf'])

export const FIND_VALUE_TESTS = new Set([
  '-name',
  '-iname',
  '-path',
  '-ipath',
  '-wholename',
  '-iwholename',
  '-regex',
  '-iregex',
  '-regextype',
  '-type',
  '-xtype',
  '-size',
  '-perm',
  '-user',
  '-group',
  '-uid',
  '-gid',
  '-mtime',
  '-mmin',
  '-atime',
  '-amin',
  '-ctime',
  '-cmin',
  '-newer',
  '-anewer',
  '-cnewer',
  '-maxdepth',
  '-mindepth',
  '-links',
  '-inum',
  '-samefile',
  '-used',
  '-printf',
  '-fstype',
  '-context',
  '-lname',
  '-ilname',
  '-newerXY',
  '-D',
  '-O',
])

/**
 * Options that make an otherwise read-only program run another program or open a door.
 * Keyed by program (for git, by `git <subcommand>`); an option matches as `--opt` or `--opt=…`.
 */
export const RISKY_OPTIONS: Record<string, Array<{option: string; why: string}>> = {
  rg: [{option: '--pre', why: 'runs a program on every file'}],
  sort: [{option: '--compress-program', why: 'runs a program'}],
  node: [
    {option: '--inspect', why: 'opens a debugger port that runs any code sent to it'},
    {option: '--inspect-brk', why: 'opens a debugger port that runs any code sent to it'},
  ],
  go: [
    {option: '-exec', why: 'runs the test binary through another program'},
    {option: '-toolexec', why: 'runs the compiler through another program'},
  ],
  cargo: [
    {option: '--config', why: 'can set a runner program'},
    {option: '-Z', why: 'enables unstable behaviour'},
  ],
  npm: [
    {option: '--script-shell', why: 'runs scripts with another program'},
    {option: '--node-options', why: 'passes options (such as --require) to every node process'},
  ],
  make: [{option: '--eval', why: 'adds Makefile code'}],
  printf: [{option: '-v', why: 'assigns to a variable, and an array index there is evaluated as code'}],
  'git diff': [{option: '--ext-diff', why: 'runs an external diff program'}],
  'git log': [{option: '--ext-diff', why: 'runs an external diff program'}],
  'git show': [{option: '--ext-diff', why: 'runs an external diff program'}],
}

/** Options whose value is a file the program writes (`sort -o out`). */
export const OUTPUT_OPTIONS: Record<string, string[]> = {
  sort: ['-o', '--output'],
  tree: ['-o'],
  git: ['--output'],
  go: ['-o'],
}

/**
 * git's global options (before the subcommand). These can make git run programs or act on another
 * repository, so they are asked about; the harmless ones are skipped before matching rules.
 */
export const GIT_RISKY_GLOBALS = ['-c', '-C', '--config-env', '--exec-path', '--git-dir', '--work-tree', '--namespace', '--super-prefix']
export const GIT_HARMLESS_GLOBALS = new Set([
  '--no-pager',
  '-P',
  '-p',
  '--paginate',
  '--no-optional-locks',
  '--literal-pathspecs',
  '--no-replace-objects',
  '--bare',
])

/** `git branch` only lists with these; anything else creates, renames or deletes a branch. */
export const GIT_BRANCH_LISTING = new Set([
  '-a',
  '--all',
  '-r',
  '--remotes',
  '-v',
  '-vv',
  '--verbose',
  '-l',
  '--list',
  '--show-current',
  '--contains',
  '--no-contains',
  '--merged',
  '--no-merged',
  '--points-at',
  '--sort',
  '--format',
  '--color',
  '--no-color',
  '--column',
  '--no-column',
  '-i',
  '--ignore-case',
  '--abbrev',
  '--no-abbrev',
  '-q',
  '--quiet',
])

/**
 * Variables that change which program runs or what it loads: `PATH=/tmp/evil:$PATH ls` runs a
 * different `ls`, `NODE_OPTIONS=--require=x` runs x in every node process.
 */
export const DANGEROUS_VARIABLES =
  /^(PATH|HOME|IFS|ENV|BASH_ENV|BASH_FUNC_.*|SHELLOPTS|BASHOPTS|PS4|PROMPT_COMMAND|CDPATH|GLOBIGNORE|SHELL|LD_.*|DYLD_.*|NODE_OPTIONS|NODE_PATH|PYTHON.*|PERL5?OPT|PERL5?LIB|PERLLIB|RUBYOPT|RUBYLIB|GIT_.*|PAGER|.*_PAGER|EDITOR|VISUAL|LESSOPEN|LESSCLOSE|BROWSER|NPM_CONFIG_.*|CARGO_.*|RUSTC.*|RUSTFLAGS|GOFLAGS|CC|CXX|CPP|MAKEFLAGS|JAVA_TOOL_OPTIONS|_JAVA_OPTIONS)$/i
