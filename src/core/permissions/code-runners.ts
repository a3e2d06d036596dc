import path from 'node:path'

import type {Arg} from './arguments.js'
import {DOWNLOADERS, INLINE_CODE, INTERPRETER_VALUE_OPTIONS, SHELL_VALUE_OPTIONS, type InterpreterFamily} from './command-table.js'
import {ask, deny, type PermissionDecision} from './decision.js'
import {readArg} from './file-arguments.js'
import {nested, type Judge, type Scene} from './scene.js'
import {clip, type SimpleCommand} from './shell.js'

/**
 * Programs that run code rather than files of the project: shells, `eval`, `source` and
 * interpreters with inline code. A literal script is parsed and judged like the line itself; code
 * only known at run time is asked about, and denied outright when the line downloads it.
 */

/** `sh -c "sh -c '…'"`: deeper nesting is only ever an attempt to hide something. */
const MAX_NESTING = 4

export async function judgeShell(judge: Judge, args: Arg[], scene: Scene): Promise<PermissionDecision[]> {
  let inline = false
  let fromInput = false
  let i = 1
  for (; i < args.length; i += 1) {
    const value = args[i]!.value
    if (value === undefined) break
    if (value === '--' || value === '-') {
      fromInput = value === '-'
      i += 1
      break
    }

    if (!/^[-+]./.test(value)) break
    if (SHELL_VALUE_OPTIONS.has(value)) i += 1
    else if (!value.startsWith('--')) {
      // Combined flags: `bash -lc '…'`, `sh -es`.
      inline ||= value.slice(1).includes('c')
      fromInput ||= value.slice(1).includes('s')
    }
  }

  const operand = args[i]
  if (inline) {
    if (!operand) return [ask(`${scene.shown}: -c is missing its script`)]
    if (operand.value === undefined) return [codeFromRunTime(operand, scene, 'runs a script')]
    if (scene.depth >= MAX_NESTING) return [ask(`${scene.shown} nests shells too deeply to judge`)]
    return judge.judgeText(operand.value, scene.cwd, nested(scene))
  }

  if (!operand || fromInput) return [codeFromInput(scene)]
  if (operand.value === undefined) return [codeFromRunTime(operand, scene, 'runs a script')]
  if (scene.download) return [downloadAndRun(scene, scene.download)]
  return [ask(`${scene.shown} runs the shell script \`${operand.text}\``), ...(await readArg(judge, operand, scene))]
}

export async function judgeEval(judge: Judge, args: Arg[], scene: Scene): Promise<PermissionDecision[]> {
  const words = args.slice(1)
  const dynamicWord = words.find((arg) => arg.value === undefined)
  if (dynamicWord) return [codeFromRunTime(dynamicWord, scene, 'evaluates a string')]
  if (scene.depth >= MAX_NESTING) return [ask(`${scene.shown} nests evaluation too deeply to judge`)]
  return judge.judgeText(words.map((arg) => arg.value).join(' '), scene.cwd, nested(scene))
}

export async function judgeSource(judge: Judge, args: Arg[], scene: Scene): Promise<PermissionDecision[]> {
  const file = args[1]
  if (!file) return [ask(`${scene.shown} is missing the file to run`)]
  if (file.value === undefined) return [codeFromRunTime(file, scene, 'runs a file')]
  if (scene.download) return [downloadAndRun(scene, scene.download)]
  return [ask(`${scene.shown} runs \`${file.text}\` in the shell`), ...(await readArg(judge, file, scene))]
}

/**
 * Inline code (`node -e`, `python -c`) is arbitrary code: asked about, or denied when it comes from
 * the network. Undefined when the interpreter runs a script file: then it is an ordinary program.
 */
export async function judgeInterpreter(judge: Judge, family: InterpreterFamily, args: Arg[], scene: Scene): Promise<PermissionDecision[] | undefined> {
  const {letters, long} = INLINE_CODE[family]
  const takesValue = new Set(INTERPRETER_VALUE_OPTIONS[family])
  let options = 0
  for (let i = 1; i < args.length; i += 1) {
    const arg = args[i]!
    const value = arg.value
    if (value === undefined) return [codeFromRunTime(arg, scene, 'runs a script')]
    if (value === '-') return [codeFromInput(scene)]
    if (value === '--') return args[i + 1] ? undefined : [codeFromInput(scene)]
    if (!value.startsWith('-')) return undefined
    options += 1

    if (family === 'python' && /^-[A-Za-z]*m/.test(value)) {
      // `python -m pytest` runs the module as a program: judge it as `pytest …`.
      const module = value.slice(value.indexOf('m') + 1)
      const moduleArgs = module === '' ? args.slice(i + 1) : [{...arg, text: module, value: module}, ...args.slice(i + 1)]
      if (moduleArgs.length === 0) return [ask(`${scene.shown} is missing the module to run`)]
      return judge.judgeArgv(moduleArgs, scene)
    }

    const option = family === 'pwsh' ? value.toLowerCase() : value
    const isLong = long.some((name) => option === name || option.startsWith(`${name}=`))
    const isShort = !value.startsWith('--') && family !== 'pwsh' && [...value.slice(1)].some((c) => letters.includes(c))
    if (isLong || isShort || (family === 'pwsh' && option === '-c')) {
      // The code is attached (`--eval=…`, `-c'…'`) or the next word.
      const code = value.includes('=') || (isShort && value.length > 2 && !letters.includes(value.at(-1)!)) ? arg : args[i + 1]
      return [code ? codeFromRunTime(code, scene, 'runs inline code', true) : ask(`${scene.shown} runs inline code`)]
    }

    if (takesValue.has(value)) i += 1
  }

  // No script: code comes from stdin (a pipe, a heredoc) — or it is `node --test`, `python --version`.
  if (options > 0 && scene.upstream.length === 0 && !scene.input) return undefined
  return [codeFromInput(scene)]
}

/**
 * A script from `$X` or `$(…)`: denied when the line downloads anything (`x=$(curl …); eval "$x"`
 * hides the flow in a variable), asked about otherwise.
 */
function codeFromRunTime(word: Arg, scene: Scene, what: string, inline = false): PermissionDecision {
  const inside = scene.script.commands.find((command) => command.start >= word.start && command.start < word.end && isDownloader(command))
  const source = inside ?? scene.download
  if (source) return deny(`${scene.shown} ${what} downloaded by \`${clip(source.text)}\`: download-and-execute is never allowed`)
  if (inline) return ask(`${scene.shown} ${what}, which cannot be judged statically`)
  return ask(`${scene.shown} ${what} only known at run time (\`${clip(word.text)}\`)`)
}

/** A shell or interpreter reading its program from stdin runs whatever comes down the pipe. */
function codeFromInput(scene: Scene): PermissionDecision {
  const downloader = scene.upstream.find(isDownloader) ?? (scene.input ? scene.download : undefined)
  if (downloader) return downloadAndRun(scene, downloader)
  const source = scene.upstream[0]
  if (source) return ask(`${scene.shown} runs whatever \`${clip(source.text)}\` prints as code`)
  if (scene.input) return ask(`${scene.shown} runs the code in \`${clip(scene.input)}\`, which cannot be judged statically`)
  return ask(`${scene.shown} reads code from its input`)
}

function downloadAndRun(scene: Scene, downloader: SimpleCommand): PermissionDecision {
  return deny(`${scene.shown} runs code downloaded by \`${clip(downloader.text)}\`: download-and-execute is never allowed`)
}

/** Any word naming a downloader: `curl`, `/usr/bin/wget`, `timeout 9 curl`. */
export function isDownloader(command: SimpleCommand): boolean {
  return command.argv.some((word) => {
    const literal = word.parts.every((part) => part.kind === 'text')
    const text = literal ? word.parts.map((part) => (part.kind === 'text' ? part.value : '')).join('') : ''
    return DOWNLOADERS.has(path.posix.basename(text))
  })
}
