import {opensCallSection} from './token-calls.js'

/**
 * Reasoning that models write before answering: calls mentioned in it are thoughts, never run.
 * Harmony's analysis channel is handled with the other harmony messages.
 */
const REGIONS: ReadonlyArray<readonly [open: string, close: string]> = [
  ['<think>', '</think>'],
  ['<thinking>', '</thinking>'],
  ['<reasoning>', '</reasoning>'],
  ['<seed:think>', '</seed:think>'],
  ['[THINK]', '[/THINK]'], // Magistral
  ['<|START_THINKING|>', '<|END_THINKING|>'], // Command A / R7B
  ['<|channel>thought', '<channel|>'], // Gemma 4
  ['◁think▷', '◁/think▷'], // Kimi VL
]

const ANY_CLOSE = new RegExp(REGIONS.map(([, close]) => close.replace(/[|[\]\\/]/g, '\\$&')).join('|'))

/**
 * If reasoning opens at `at`, the index where it ends (past its closing tag). Reasoning that is never
 * closed runs to the end of the reply, except that a call section opening inside it ends it: Kimi
 * K2.5 starts its calls without closing its thinking.
 */
export function reasoningEnd(s: string, at: number): number | undefined {
  for (const [open, close] of REGIONS) {
    if (!s.startsWith(open, at)) continue
    const closeAt = s.indexOf(close, at + open.length)
    if (closeAt >= 0) return closeAt + close.length
    for (let i = s.indexOf('<', at + open.length); i !== -1; i = s.indexOf('<', i + 1)) {
      if (opensCallSection(s, i)) return i
    }

    return s.length
  }

  return undefined
}

/**
 * Where scanning starts: past a closing tag that has no opening one before it. Qwen3 and DeepSeek R1
 * templates put `<think>` in the prompt, so the reply starts inside the reasoning.
 */
export function afterPromptedReasoning(s: string): number {
  // One pass to learn whether any closer occurs at all: the usual answer is no.
  if (!ANY_CLOSE.test(s)) return 0
  let start = 0
  for (const [open, close] of REGIONS) {
    const closeAt = s.indexOf(close)
    if (closeAt < 0) continue
    const openAt = s.indexOf(open)
    if (openAt < 0 || openAt > closeAt) start = Math.max(start, closeAt + close.length)
  }

  return start
}
