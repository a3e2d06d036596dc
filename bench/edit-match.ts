/**
 * `npm run bench:edit-match`: how edit_file's "similar" thresholds were chosen (src/core/tools/edit-near-match.ts).
 *
 * Regions of this repository's own source files are copied the way small models get them wrong —
 * a line left out, a typo or two, a line that does not exist, one identifier misremembered — and
 * the way that must not be applied — an identifier misremembered throughout, half the lines
 * replaced, text from another file. For every case the best and runner-up regions are scored with
 * no threshold at all; then each (SIMILAR_ENOUGH, CLEARLY_BETTER, MOST_DIFFERING) choice is
 * evaluated: how many near misses it applies at the right place, how many at a wrong place, and how
 * many of the must-not cases it applies. The choice in use keeps wrong places at about 0.1% (lines
 * at the edge of a region, which edit_file then refuses when new_text changes them) and applies
 * about nine near misses in ten.
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {CLEARLY_BETTER, MOST_DIFFERING, rankSimilarRegions, SIMILAR_ENOUGH} from '../src/core/tools/edit-near-match.js'
import {splitLines} from '../src/core/tools/text-lines.js'

const root = fileURLToPath(new URL('../src', import.meta.url))
const files = (readdirSync(root, {recursive: true}) as string[])
  .filter((file) => file.endsWith('.ts'))
  .sort()
  .map((file) => splitLines(readFileSync(path.join(root, file), 'utf8')))
  .filter((lines) => lines.length >= 30)

// A seeded generator: the same cases on every run.
let seed = 11
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
const blank = (line: string) => line.trim() === ''
/** A line of real code from anywhere in src/ (not blank, not a lone brace). */
function someLine(): string {
  for (;;) {
    const line = pick(pick(files))
    if (line.trim().length > 3) return line
  }
}
const IDENTIFIER = /\b[A-Za-z_][A-Za-z0-9_]{3,}\b/g
const KEYWORDS = new Set([
  'const',
  'return',
  'function',
  'export',
  'import',
  'from',
  'async',
  'await',
  'this',
  'true',
  'false',
  'type',
  'interface',
  'string',
  'number',
])

/** One character changed inside a word of a line (a substitution or a deletion). */
function typo(line: string): string {
  const words = [...line.matchAll(/[A-Za-z]{4,}/g)]
  if (words.length === 0) return line + ' x'
  const word = pick(words)
  const at = word.index! + 1 + Math.floor(random() * (word[0].length - 2))
  return random() < 0.5 ? line.slice(0, at) + line.slice(at + 1) : line.slice(0, at) + (line[at] === 'e' ? 'a' : 'e') + line.slice(at + 1)
}

function renamed(lines: string[], everywhere: boolean): string[] | undefined {
  const counts = new Map<string, number>()
  for (const line of lines) for (const [word] of line.matchAll(IDENTIFIER)) if (!KEYWORDS.has(word)) counts.set(word, (counts.get(word) ?? 0) + 1)
  const candidates = [...counts].filter(([, n]) => (everywhere ? n >= Math.max(2, Math.ceil(lines.filter((l) => !blank(l)).length / 2)) : n >= 1))
  if (candidates.length === 0) return undefined
  const [word] = pick(candidates)
  const other = word.length > 5 ? word.slice(0, 3) + 'Value' : `${word}Item`
  if (everywhere) return lines.map((line) => line.replace(new RegExp(`\\b${word}\\b`, 'g'), other))
  const at = lines.findIndex((line) => new RegExp(`\\b${word}\\b`).test(line))
  return lines.map((line, i) => (i === at ? line.replace(new RegExp(`\\b${word}\\b`), other) : line))
}

interface Case {
  kind: string
  apply: boolean
  correct: boolean
  similarity: number
  rival: number | undefined
  /** Share of old_text's lines that differ from the file's. */
  differing: number
}

const cases: Case[] = []
for (const [f, lines] of files.entries()) {
  for (let r = 0; r < 6; r++) {
    const length = 3 + Math.floor(random() * 7)
    const start = Math.floor(random() * (lines.length - length))
    const region = lines.slice(start, start + length)
    const content = region.map((line, i) => ({line, i})).filter(({line}) => !blank(line) && line.trim().length > 3)
    if (content.length < 3) continue
    const first = start + region.findIndex((line) => !blank(line))
    const last = start + region.length - 1 - [...region].reverse().findIndex((line) => !blank(line))
    const middle = content.slice(1, -1)
    const variants: Array<[string, boolean, string[] | undefined]> = [
      ['one line left out', true, middle.length > 0 ? region.filter((_, i) => i !== pick(middle).i) : undefined],
      [
        'one typo',
        true,
        (() => {
          const at = pick(content).i
          return region.map((line, i) => (i === at ? typo(line) : line))
        })(),
      ],
      [
        'two typos',
        true,
        content.length >= 4
          ? (() => {
              const [a, b] = [content[0]!.i, content.at(-1)!.i]
              return region.map((line, i) => (i === a || i === b ? typo(line) : line))
            })()
          : undefined,
      ],
      [
        'a line left out and a typo',
        true,
        middle.length > 0
          ? (() => {
              const out = pick(middle).i
              const at = content[0]!.i
              return region.filter((_, i) => i !== out).map((line, i) => (i === at ? typo(line) : line))
            })()
          : undefined,
      ],
      ['a line the file does not have', true, [region[0]!, '  // keep this in sync', ...region.slice(1)]],
      ['one identifier misremembered once', true, renamed(region, false)],
      ['an identifier misremembered throughout', false, renamed(region, true)],
      [
        'half the lines replaced',
        false,
        (() => {
          const replace = new Set(content.filter((_, k) => k % 2 === 1).map(({i}) => i))
          return region.map((line, i) => (replace.has(i) ? someLine() : line))
        })(),
      ],
      [
        'text from another file',
        false,
        (() => {
          const other = files[(f + 1 + Math.floor(random() * (files.length - 1))) % files.length]!
          const at = Math.floor(random() * (other.length - length))
          return other.slice(at, at + length)
        })(),
      ],
    ]

    for (const [kind, apply, old] of variants) {
      if (!old) continue
      const ranked = rankSimilarRegions(lines, old)
      if (!ranked) continue
      const {best} = ranked
      cases.push({
        kind,
        apply,
        correct: best.start === first && best.end === last + 1,
        similarity: best.similarity,
        rival: ranked.rival,
        differing: best.differing / best.lines,
      })
    }
  }
}

const applied = (c: Case, threshold: number, margin: number, differing = MOST_DIFFERING) =>
  c.similarity >= threshold && (c.rival === undefined || c.similarity - c.rival >= margin) && c.differing <= differing
const pct = (n: number, of: number) => `${((100 * n) / Math.max(1, of)).toFixed(1)}%`.padStart(6)

console.log(`${cases.length} cases from ${files.length} files of src/ (near misses that should apply, and texts that must not)\n`)
console.log('by kind, with the thresholds in use:')
for (const kind of [...new Set(cases.map((c) => c.kind))]) {
  const of = cases.filter((c) => c.kind === kind)
  const right = of.filter((c) => applied(c, SIMILAR_ENOUGH, CLEARLY_BETTER) && c.correct).length
  const wrong = of.filter((c) => applied(c, SIMILAR_ENOUGH, CLEARLY_BETTER) && !c.correct).length
  const sims = of.map((c) => c.similarity).sort((a, b) => a - b)
  const median = sims[sims.length >> 1]!
  const differing = of.map((c) => c.differing).sort((a, b) => a - b)[of.length >> 1]!
  console.log(
    `  ${(of[0]!.apply ? 'apply ' : 'refuse') + '  ' + kind.padEnd(40)} ${String(of.length).padStart(4)} cases   applied right ${pct(right, of.length)}   ` +
      `applied elsewhere ${pct(wrong, of.length)}   median similarity ${median.toFixed(2)}, lines differing ${differing.toFixed(2)}`,
  )
}

console.log(
  '\nthreshold grid: SIMILAR_ENOUGH × CLEARLY_BETTER × MOST_DIFFERING → near misses applied right / applied at a wrong place / must-not cases applied',
)
const positives = cases.filter((c) => c.apply)
const negatives = cases.filter((c) => !c.apply)
for (const differing of [0.34, 0.5, 1]) {
  for (const margin of [0.05, 0.1, 0.15]) {
    for (let threshold = 0.7; threshold <= 0.951; threshold += 0.05) {
      const right = positives.filter((c) => applied(c, threshold, margin, differing) && c.correct).length
      const wrongPlace = positives.filter((c) => applied(c, threshold, margin, differing) && !c.correct).length
      const bad = negatives.filter((c) => applied(c, threshold, margin, differing)).length
      const inUse = Math.abs(threshold - SIMILAR_ENOUGH) < 1e-9 && margin === CLEARLY_BETTER && differing === MOST_DIFFERING
      console.log(
        `  ${threshold.toFixed(2)} × ${margin.toFixed(2)} × ${differing.toFixed(2)}   ${pct(right, positives.length)}   ${pct(wrongPlace, positives.length)}   ${pct(bad, negatives.length)}${inUse ? '  ← in use' : ''}`,
      )
    }
  }
}
