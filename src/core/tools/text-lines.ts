/** Line helpers shared by the file tools. Line numbers are 1-based everywhere. */

/** Lines without their terminators; a final newline does not start an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
}

/** `  12| code` — the same shape read_file prints, so the model can quote lines back. */
export function formatLine(lineNo: number, line: string, width: number): string {
  const n = String(lineNo).padStart(width)
  return line === '' ? `${n}|` : `${n}| ${line}`
}

export function numberLines(lines: readonly string[], firstLineNo: number): string {
  const width = String(firstLineNo + lines.length - 1).length
  return lines.map((line, i) => formatLine(firstLineNo + i, line, width)).join('\n')
}

/** 1-based line number of the character at `index`. */
export function lineAt(text: string, index: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++
  return line
}

/** Number of lines `text` spans when inserted at the start of a line (a trailing newline adds none). */
export function lineSpan(text: string): number {
  if (text === '') return 0
  let count = 1
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) if (i < text.length - 1) count++
  return count
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

/** Edit distance counting a swap of neighbours as one edit, for "did you mean" hints on short names. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0
  const rows: number[][] = [Array.from({length: b.length + 1}, (_, j) => j)]
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1)
      row.push(best)
    }
    rows.push(row)
  }
  return rows[a.length]![b.length]!
}
