import type {Style} from './style.js'

/** Colours a unified diff for the terminal: additions green, removals red, hunks cyan. */
export function colorDiff(diff: string, style: Style): string {
  return diff
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return style.bold(line)
      if (line.startsWith('+')) return style.green(line)
      if (line.startsWith('-')) return style.red(line)
      if (line.startsWith('@@')) return style.cyan(line)
      return line
    })
    .join('\n')
}
