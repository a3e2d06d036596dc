import {describe, expect, it} from 'vitest'

import {fitInstructions, type InstructionText} from '../../../src/core/instructions/fit.js'

const file = (rel: string, text: string, cut = false): InstructionText => ({rel, dir: rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '', text, cut})
/** n lines of ~40 characters: n * 40 / 3.5 estimated tokens. */
const lines = (label: string, n: number) => Array.from({length: n}, (_, i) => `- ${label} rule ${String(i).padStart(3, '0')}: do the right thing`).join('\n')

describe('fitInstructions', () => {
  it('puts every file in, root first, under one header, when they fit', () => {
    const {text, report} = fitInstructions([file('AGENTS.md', 'Use pnpm.'), file('src/api/AGENTS.md', 'Handlers return Result.')], 1000)
    expect(text).toBe(
      'Project instructions (where two disagree, the file in the deeper folder wins):\n--- AGENTS.md\nUse pnpm.\n--- src/api/AGENTS.md\nHandlers return Result.',
    )
    expect(report).toMatchObject({truncated: false, omitted: [], budget: 1000})
    expect(report.files.map((f) => f.path)).toEqual(['AGENTS.md', 'src/api/AGENTS.md'])
    expect(report.tokens).toBe(Math.ceil(text.length / 3.5))
  })

  it.each([
    ['no files', []],
    ['only empty or blank files', [file('AGENTS.md', ''), file('src/AGENTS.md', ' \n\n \t\n')]],
  ])('adds nothing for %s', (_name, files) => {
    const {text, report} = fitInstructions(files, 1000)
    expect(text).toBe('')
    expect(report).toMatchObject({files: [], omitted: [], truncated: false, tokens: 0})
  })

  it('drops a BOM, CRs, trailing spaces and runs of blank lines: they cost tokens and say nothing', () => {
    const {text} = fitInstructions([file('AGENTS.md', '\uFEFF# Rules  \r\n\r\n\r\n\r\n- one\t\r\n- two\r\n\r\n')], 1000)
    expect(text.endsWith('--- AGENTS.md\n# Rules\n\n- one\n- two')).toBe(true)
  })

  it('keeps the nearer file whole and cuts the root one at a line end, with notes, when both do not fit', () => {
    const root = lines('root', 60) // ~690 tokens
    const near = lines('api', 30) // ~345 tokens
    const {text, report} = fitInstructions([file('AGENTS.md', root), file('src/api/AGENTS.md', near)], 800)

    expect(text.length).toBeLessThanOrEqual(800 * 3.5)
    expect(text).toContain(`--- src/api/AGENTS.md\n${near}`)
    expect(text.indexOf('--- AGENTS.md')).toBeLessThan(text.indexOf('--- src/api/AGENTS.md')) // still root first
    const rootPart = text.slice(text.indexOf('--- AGENTS.md\n') + 14, text.indexOf('\n--- src/api/AGENTS.md'))
    expect(rootPart).toMatch(/^- root rule 000[^\n]*\n/)
    expect(rootPart).toMatch(/: do the right thing\n\[… AGENTS\.md is longer: read the file for the rest\]$/) // cut at a line end
    expect(report.truncated).toBe(true)
    expect(report.files).toEqual([
      {path: 'AGENTS.md', tokens: expect.any(Number), truncated: true},
      {path: 'src/api/AGENTS.md', tokens: expect.any(Number), truncated: false},
    ])
  })

  it('leaves a far file out, and says so, when too little of it would fit', () => {
    const {text, report} = fitInstructions([file('AGENTS.md', lines('root', 20)), file('src/AGENTS.md', lines('src', 72))], 800)
    expect(text.length).toBeLessThanOrEqual(800 * 3.5)
    expect(text).not.toContain('--- AGENTS.md')
    expect(text).toContain('[left out to save context: AGENTS.md; read them if they matter to the task]')
    expect(report).toMatchObject({omitted: ['AGENTS.md'], truncated: true})
  })

  it('cuts a single huge file to the budget, and marks a file that was only read in part', () => {
    const {text, report} = fitInstructions([file('AGENTS.md', lines('big', 5000), true)], 1000)
    expect(text.length).toBeLessThanOrEqual(1000 * 3.5)
    expect(text.length).toBeGreaterThan(1000 * 3.5 * 0.9)
    expect(report.files).toEqual([{path: 'AGENTS.md', tokens: expect.any(Number), truncated: true}])
    expect(report.truncated).toBe(true)
  })

  it('cuts a file without line ends mid-line, never inside a surrogate pair', () => {
    const {text} = fitInstructions([file('AGENTS.md', '😀'.repeat(5000))], 300)
    expect(text.length).toBeLessThanOrEqual(300 * 3.5)
    expect(text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })

  it('adds nothing, and reports everything as left out, when the budget cannot hold even the notes', () => {
    const {text, report} = fitInstructions([file('AGENTS.md', lines('root', 40))], 20)
    expect(text).toBe('')
    expect(report).toMatchObject({files: [], omitted: ['AGENTS.md'], truncated: true, tokens: 0})
  })

  it('gives the same bytes for the same files (the prompt cache depends on it)', () => {
    const files = [file('AGENTS.md', lines('root', 80)), file('a/AGENTS.md', lines('a', 40)), file('b/AGENTS.md', lines('b', 40))]
    expect(fitInstructions(files, 900).text).toBe(fitInstructions(structuredClone(files), 900).text)
  })
})
