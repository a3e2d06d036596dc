import {afterAll, describe, expect, it} from 'vitest'

import {parseToolCalls} from '../../../src/core/llm/tool-call-parser.js'
import {CORPUS, CORPUS_TOOLS, type CorpusCase} from './tool-call-corpus.js'

/** Names and arguments in order: what has to be exactly right for the agent to run the right thing. */
function callsOf(content: string): Array<[string, Record<string, unknown>]> {
  return parseToolCalls(content, CORPUS_TOOLS).calls.map((call) => [call.name, call.arguments])
}

function isExact(row: CorpusCase): boolean {
  try {
    return JSON.stringify(callsOf(row.content)) === JSON.stringify(row.calls)
  } catch {
    return false
  }
}

describe('tool-call corpus', () => {
  it('is big enough to mean something: 150+ cases, a quarter of them negatives', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(150)
    expect(CORPUS.filter((row) => row.calls.length === 0).length / CORPUS.length).toBeGreaterThanOrEqual(0.25)
  })

  it.each(CORPUS.map((row) => ({...row, name: `${row.family}: ${row.title}`})))('$name', (row) => {
    expect(callsOf(row.content)).toEqual(row.calls)
    // A negative leaves the reply as it was: nothing is cut out of text that holds no call.
    if (row.calls.length === 0) expect(parseToolCalls(row.content, CORPUS_TOOLS).text).toBe(row.content.trim())
  })

  afterAll(() => {
    // The per-family table kept in README ("How tool calls written as text are handled").
    const families = new Map<string, {cases: number; negatives: number; exact: number}>()
    for (const row of CORPUS) {
      const entry = families.get(row.family) ?? {cases: 0, negatives: 0, exact: 0}
      entry.cases++
      if (row.calls.length === 0) entry.negatives++
      if (isExact(row)) entry.exact++
      families.set(row.family, entry)
    }

    const total = {cases: 0, negatives: 0, exact: 0}
    const lines = ['| family | cases | negatives | exact | % |', '| --- | ---: | ---: | ---: | ---: |']
    for (const [family, entry] of families) {
      total.cases += entry.cases
      total.negatives += entry.negatives
      total.exact += entry.exact
      lines.push(`| ${family} | ${entry.cases} | ${entry.negatives} | ${entry.exact} | ${((100 * entry.exact) / entry.cases).toFixed(0)} |`)
    }

    lines.push(`| **all** | **${total.cases}** | **${total.negatives}** | **${total.exact}** | **${((100 * total.exact) / total.cases).toFixed(1)}** |`)
    console.log(`\n${lines.join('\n')}\n`)
  })
})
