/**
 * How lines compare once what does not matter to code is set aside: the typography a model
 * "improves" (smart quotes, dashes, non-breaking spaces), runs of whitespace, and indentation.
 */

const TYPOGRAPHY: ReadonlyArray<readonly [RegExp, string]> = [
  [/[‘’‚‛′]/g, "'"],
  [/[“”„‟″]/g, '"'],
  [/[‐‑‒–—―−]/g, '-'],
  [/…/g, '...'],
  [/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' '],
  [/[\u200b\u200c\u200d\u2060\ufeff]/g, ''],
]

/** Smart quotes, dashes, ellipses and odd spaces as their ASCII forms. */
export function plainTypography(text: string): string {
  let out = text
  for (const [pattern, ascii] of TYPOGRAPHY) out = out.replace(pattern, ascii)
  return out
}

/** The line's content: typography made plain, ends trimmed, inner whitespace runs as one space. */
export function canonicalLine(line: string): string {
  return plainTypography(line).trim().replace(/\s+/g, ' ')
}

const TAB_WIDTH = 4

/** Leading whitespace of a line. */
export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0]
}

/** Columns of leading whitespace, a tab counting to the next multiple of four. */
export function indentWidth(indent: string): number {
  let width = 0
  for (const c of indent) width = c === '\t' ? width + TAB_WIDTH - (width % TAB_WIDTH) : width + 1
  return width
}

export function isBlank(line: string): boolean {
  return line.trim() === ''
}

/**
 * A line that stands for lines the model did not copy: `...`, `// ...`, `# ... existing code ...`,
 * `/* … *\/`. Short on purpose: a real line of code that happens to contain `...` is longer.
 */
export function isElision(line: string): boolean {
  const bare = line
    .trim()
    .replace(/^(?:\/\/+|#+|--|;+|\/\*+|<!--|\*)\s*/, '')
    .replace(/\s*(?:\*\/|-->)$/, '')
  // The dots stand apart from any word: `...rest` is a JavaScript spread, not an elision.
  return /^(?:\.\.\.|…)(?:\s|$)|(?:^|\s)(?:\.\.\.|…)$/.test(bare) && bare.split(/\s+/).length <= 6 && !/[;{}()=,]/.test(bare)
}

/** Edit distance (insertions, deletions, substitutions); two rows, so long lines stay cheap in memory. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  if (a.length === 0) return b.length
  if (b.length === 0) return a.length
  let previous = new Int32Array(b.length + 1)
  let current = new Int32Array(b.length + 1)
  for (let j = 0; j <= b.length; j++) previous[j] = j
  for (let i = 1; i <= a.length; i++) {
    current[0] = i
    const ca = a.charCodeAt(i - 1)
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1)
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1)
    }

    ;[previous, current] = [current, previous]
  }

  return previous[b.length]!
}

/** The line's character bigrams as numbers, for repeated comparisons (compute once per line). */
export function bigramSet(text: string): Set<number> {
  const set = new Set<number>()
  for (let i = 0; i < text.length - 1; i++) set.add(text.charCodeAt(i) * 65_536 + text.charCodeAt(i + 1))
  return set
}

export function bigramSetDice(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  if (a.size === 0 || b.size === 0) return 0
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let shared = 0
  for (const bigram of small) if (large.has(bigram)) shared++
  return (2 * shared) / (a.size + b.size)
}
