import {lstat, readdir} from 'node:fs/promises'
import path from 'node:path'
import picomatch from 'picomatch'

/** One word of an argv, as far as it is known before the line runs. */
export interface Arg {
  text: string
  /** Undefined when only known at run time. */
  value?: string
  /** Set when the word is a glob the shell expands. */
  pattern?: string
  start: number
  end: number
}

export interface SplitArgs {
  positional: Arg[]
  /** Option values: `--out=x` and `-o x` both give {option: '--out' | '-o', arg: x}. */
  values: Array<{option: string; arg: Arg}>
}

/**
 * Tells options from operands the way getopt does, so that the value of `-n 5` or `-o out` is
 * neither mistaken for a file nor for the command a wrapper runs. Unknown options are flags.
 */
export function splitArgs(args: readonly Arg[], valueOptions: Iterable<string>, {stopAtPositional = false} = {}): SplitArgs {
  const takesValue = new Set(valueOptions)
  const positional: Arg[] = []
  const values: SplitArgs['values'] = []
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!
    const word = arg.value
    if (word === undefined || word === '-' || !word.startsWith('-')) {
      if (stopAtPositional) return {positional: [...positional, ...args.slice(i)], values}
      positional.push(arg)
      continue
    }

    if (word === '--') return {positional: [...positional, ...args.slice(i + 1)], values}

    if (word.startsWith('--')) {
      const eq = word.indexOf('=')
      if (eq !== -1) values.push({option: word.slice(0, eq), arg: {...arg, text: word.slice(eq + 1), value: word.slice(eq + 1), pattern: undefined}})
      else if (takesValue.has(word) && args[i + 1]) values.push({option: word, arg: args[(i += 1)]!})
      continue
    }

    for (let j = 1; j < word.length; j += 1) {
      const option = `-${word[j]}`
      if (!takesValue.has(option)) continue
      const rest = word.slice(j + 1)
      if (rest !== '') values.push({option, arg: {...arg, text: rest, value: rest, pattern: undefined}})
      else if (args[i + 1]) values.push({option, arg: args[(i += 1)]!})
      break
    }
  }

  return {positional, values}
}

/** `--opt` or `--opt=…` anywhere before `--`. */
export function hasOption(args: readonly Arg[], option: string): boolean {
  for (const arg of args) {
    if (arg.value === '--') return false
    if (arg.value === option || arg.value?.startsWith(`${option}=`)) return true
  }

  return false
}

/** Beyond this a glob is not worth expanding to judge: the caller asks instead. */
const MAX_GLOB_MATCHES = 1000

/**
 * What the shell would expand a glob to, read from the file system (never by running anything).
 * A glob that matches nothing stays as written, as in bash. Undefined when there are too many.
 */
export async function expandGlob(pattern: string, cwd: string): Promise<string[] | undefined> {
  const absolute = pattern.startsWith('/') ? pattern : `${escapeGlob(cwd)}/${pattern}`
  let current = ['/']
  for (const segment of absolute.split('/').filter((s) => s !== '')) {
    if (!/(^|[^\\])[*?[]/.test(segment)) {
      current = current.map((dir) => path.join(dir, unescapeGlob(segment)))
      continue
    }

    // bash: * and ? never match a leading dot unless the pattern starts with one; `..` is matched by `.*` in older bash.
    const isMatch = picomatch(segment, {dot: false})
    const next: string[] = []
    for (const dir of current) {
      const names = await readdir(dir).catch(() => [] as string[])
      for (const name of ['..', ...names]) {
        if (name === '..' && !segment.startsWith('.')) continue
        if (isMatch(name)) next.push(path.join(dir, name))
      }

      if (next.length > MAX_GLOB_MATCHES) return undefined
    }

    current = next
  }

  const existing: string[] = []
  for (const candidate of current) {
    if (
      await lstat(candidate).then(
        () => true,
        () => false,
      )
    )
      existing.push(candidate)
  }

  return existing.length > 0 ? existing : [unescapeGlob(pattern)]
}

function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]{}()!+@|]/g, '\\$&')
}

function unescapeGlob(text: string): string {
  return text.replace(/\\(.)/g, '$1')
}
