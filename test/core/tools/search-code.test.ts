import {describe, expect, it} from 'vitest'
import {searchCodeTool} from '../../../src/core/tools/search-code.js'
import {runTool} from '../../../src/core/tools/tool.js'
import {lines, sandbox} from '../../support/sandbox.js'

const project = {
  '.gitignore': 'dist/\nsecret.env\n',
  'src/a.ts': 'const total = price * qty\nexport function Total() {}\n',
  'src/b.ts': '// total(x) is a.b(\n  a.b(1)\n',
  'src/c.js': 'total\n',
  'docs/guide.md': 'Totals are computed.\n',
  'dist/out.js': 'total\n',
  'secret.env': 'total=1\n',
  'node_modules/x/index.js': 'total\n',
  'bin.dat': Buffer.from('total\0\x01\x02'),
  'win.txt': 'total\r\nline\r\n',
}

async function search(args: Record<string, unknown>, files: Record<string, string | Uint8Array> = project, limits = {}) {
  const box = await sandbox(files, limits)
  return runTool(searchCodeTool, args, box.ctx)
}

describe('search_code', () => {
  it('finds literal text case-insensitively, skipping gitignored, node_modules and binary files', async () => {
    expect(await search({pattern: 'total'})).toEqual({
      ok: true,
      summary: '6 matches for "total" (6 files searched)',
      output: [
        'docs/guide.md:1: Totals are computed.',
        'src/a.ts:1: const total = price * qty',
        'src/a.ts:2: export function Total() {}',
        'src/b.ts:1: // total(x) is a.b(',
        'src/c.js:1: total',
        'win.txt:1: total',
      ].join('\n'),
    })
  })

  it.each([
    ['literal text with regex characters', {pattern: 'a.b('}, ['src/b.ts:1: // total(x) is a.b(', 'src/b.ts:2: a.b(1)']],
    ['a regex', {pattern: 'total\\(\\w\\)', regex: true}, ['src/b.ts:1: // total(x) is a.b(']],
    ['a regex anchored at a CRLF line end', {pattern: '^line$', regex: true}, ['win.txt:2: line']],
    ['smart case (uppercase means exact case)', {pattern: 'Total'}, ['docs/guide.md:1: Totals are computed.', 'src/a.ts:2: export function Total() {}']],
    ['case_sensitive=false', {pattern: 'TOTALS', case_sensitive: false}, ['docs/guide.md:1: Totals are computed.']],
    [
      'case_sensitive=true',
      {pattern: 'total', case_sensitive: 'true'},
      ['src/a.ts:1: const total = price * qty', 'src/b.ts:1: // total(x) is a.b(', 'src/c.js:1: total', 'win.txt:1: total'],
    ],
    [
      'a glob with a directory',
      {pattern: 'total', glob: 'src/**/*.ts'},
      ['src/a.ts:1: const total = price * qty', 'src/a.ts:2: export function Total() {}', 'src/b.ts:1: // total(x) is a.b('],
    ],
    ['a basename glob', {pattern: 'total', glob: '*.md'}, ['docs/guide.md:1: Totals are computed.']],
  ])('searches %s', async (_, args, expected) => {
    expect(await search(args)).toEqual({
      ok: true,
      output: expected.join('\n'),
      summary: expect.stringMatching(new RegExp(`^${expected.length} match(es)? for `)),
    })
  })

  it('reports no matches with the number of files searched', async () => {
    expect(await search({pattern: 'nowhere'})).toEqual({ok: true, output: 'no matches for "nowhere" in 6 files'})
  })

  it('says when a glob matches no files', async () => {
    expect((await search({pattern: 'x', glob: '**/*.rs'})).output).toBe('no files match glob **/*.rs (gitignored files are skipped)')
  })

  it('fails with the regex error for an invalid regex', async () => {
    const result = await search({pattern: 'a(b', regex: true})
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/^search_code: invalid regex — .*Unterminated group.*set regex=false/)
  })

  it.each([[{}], [{pattern: ''}], [{pattern: 'x', regex: 'maybe'}], [{pattern: 'a\nb'}]])('rejects %j', async (args) => {
    const result = await search(args)
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/^search_code: (invalid arguments|pattern is empty|matches one line at a time)/)
  })

  it('caps at 100 matches and counts the rest', async () => {
    const result = await search({pattern: 'hit'}, {'many.txt': lines(150, (n) => `hit ${n}`)}, {outputChars: 100_000})
    const out = result.output.split('\n')
    expect(out).toHaveLength(101)
    expect(out[99]).toBe('many.txt:100: hit 100')
    expect(out[100]).toBe('[50 more matches — narrow with glob or a more specific pattern]')
  })

  it('stops early to stay inside the output budget', async () => {
    const result = await search({pattern: 'hit'}, {'many.txt': lines(150, (n) => `hit ${n}`)}, {outputChars: 1000})
    expect(result.output.length).toBeLessThanOrEqual(1000)
    expect(result.output).toMatch(/\[\d+ more matches — narrow with glob/)
  })

  it('cuts long lines to a window around the match', async () => {
    const long = `${'a'.repeat(500)} needle ${'b'.repeat(500)}`
    const result = await search({pattern: 'needle'}, {'min.js': `${long}\n`})
    const text = result.output.slice('min.js:1: '.length)
    expect(text.length).toBeLessThanOrEqual(202)
    expect(text).toContain('needle')
    expect(text.startsWith('…') && text.endsWith('…')).toBe(true)
  })

  it('skips files over 1 MB and says so', async () => {
    const result = await search({pattern: 'needle'}, {'big.txt': `needle\n${'x'.repeat(1_100_000)}\n`, 'small.txt': 'hay\n'})
    expect(result.output).toBe('no matches for "needle" in 1 file (1 file over 1 MB skipped)')
  })
})
