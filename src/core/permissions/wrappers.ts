import {hasOption, splitArgs, type Arg} from './arguments.js'
import {DANGEROUS_VARIABLES, WRAPPER_VALUE_OPTIONS} from './command-table.js'
import {allow, ask, type PermissionDecision} from './decision.js'
import {readArg, writeArg} from './file-arguments.js'
import {judgeProgram} from './programs.js'
import type {Judge, Scene} from './scene.js'

/** `env X=1 cmd`, `timeout 5 cmd`, `xargs cmd`…: the wrapped command is what runs, and is judged. */
export async function judgeWrapper(judge: Judge, base: string, args: Arg[], scene: Scene): Promise<PermissionDecision[]> {
  const decisions: PermissionDecision[] = []
  const {positional, values} = splitArgs(args.slice(1), WRAPPER_VALUE_OPTIONS[base] ?? [], {stopAtPositional: true})
  let inner = positional
  let inputArgs = scene.inputArgs

  if (base === 'env') {
    if (['-S', '--split-string', '-C', '--chdir'].some((option) => hasOption(args, option))) {
      decisions.push(ask(`${scene.shown}: env -S/-C change how or where the command runs`))
    }

    while (inner[0]?.value !== undefined && /^[A-Za-z_][A-Za-z0-9_]*=/.test(inner[0].value)) {
      const variable = inner[0].value.slice(0, inner[0].value.indexOf('='))
      if (DANGEROUS_VARIABLES.test(variable)) decisions.push(ask(`${scene.shown} sets ${variable}, which changes what programs run or load`))
      inner = inner.slice(1)
    }
  } else if (base === 'timeout') {
    inner = inner.slice(1) // the duration
  } else if (base === 'command' && (hasOption(args, '-v') || hasOption(args, '-V'))) {
    return [allow(`${scene.shown} only looks a command up`)]
  } else if (base === 'time') {
    for (const {option, arg} of values) if (option === '-o' || option === '--output') decisions.push(...(await writeArg(judge, arg, scene, 'write')))
  } else if (base === 'xargs') {
    for (const {option, arg} of values) if (option === '-a' || option === '--arg-file') decisions.push(...(await readArg(judge, arg, scene)))
    const replace = values.find((value) => value.option === '-I')?.arg.value ?? (hasOption(args, '-i') ? '{}' : undefined)
    // With no command xargs runs echo; with -I its input replaces a marker, otherwise it is appended.
    inner = inner.length > 0 ? inner : [{text: 'echo', value: 'echo', start: 0, end: 0}]
    if (replace) inner = inner.map((arg) => (arg.value?.includes(replace) ? {...arg, value: undefined, pattern: undefined} : arg))
    else inputArgs = true
  }

  if (inner.length === 0) return base === 'exec' ? [allow(`${scene.shown} only sets up redirections`)] : judgeProgram(judge, base, args, scene)
  return [...decisions, ...(await judge.judgeArgv(inner, {...scene, inputArgs}))]
}
