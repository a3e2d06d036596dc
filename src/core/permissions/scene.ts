import type {Arg} from './arguments.js'
import type {PermissionDecision} from './decision.js'
import type {PathPolicy} from './paths.js'
import type {CommandRule} from './rules.js'
import type {ShellScript, SimpleCommand} from './shell.js'

/** Where one simple command runs, and what it is part of. */
export interface Scene {
  /** Undefined after a `cd` to a folder only known at run time. */
  cwd: string | undefined
  /** The simple command as written, quoted for reasons. */
  shown: string
  /** Commands whose output reaches this one's input. */
  upstream: SimpleCommand[]
  script: ShellScript
  depth: number
  /** `xargs` appends words from its input. */
  inputArgs: boolean
  /** Inside `find -exec`: `{}` stands for files below the starting points, not the points themselves. */
  fromFind: boolean
  /** A heredoc, here-string or `< file` on its input. */
  input?: string
  /** A command of this line (or of a line that contains this one) that downloads. */
  download?: SimpleCommand
  /** Collects the argv of every simple command judged. */
  found: string[][]
}

/** What a line nested in another (`sh -c '…'`, `eval …`) inherits from it. */
export interface Outer {
  depth: number
  upstream: SimpleCommand[]
  download?: SimpleCommand
  found: string[][]
}

/** What every part of the command judgement shares: the path policy, the rules, and the way back in. */
export interface Judge {
  paths: PathPolicy
  home: string
  allowRules: CommandRule[]
  denyRules: CommandRule[]
  /** Judges a nested script (`sh -c`, `eval`) as a line of its own. */
  judgeText(text: string, cwd: string | undefined, outer: Outer): Promise<PermissionDecision[]>
  /** Judges one argv (a wrapped command, a `find -exec` command, a `python -m` module). */
  judgeArgv(args: Arg[], scene: Scene): Promise<PermissionDecision[]>
}

export function nested(scene: Scene): Outer {
  return {depth: scene.depth + 1, upstream: scene.upstream, download: scene.download, found: scene.found}
}
