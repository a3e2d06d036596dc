import {describe, expect, it} from 'vitest'

import {CHARS_PER_TOKEN, chunkFile, type Chunk} from '../../../src/core/rag/chunker.js'

const budget = (tokens: number) => Math.floor(tokens * CHARS_PER_TOKEN)
const spans = (chunks: Chunk[]) => chunks.map((c) => [c.startLine, c.endLine, c.symbol ?? null])
const lines = (n: number, make: (i: number) => string) => Array.from({length: n}, (_, i) => make(i)).join('\n')

// A function body long enough that two of them never share a 100-token chunk.
const body = lines(8, (i) => `  const value${i} = compute(${i}) + offset * ${i} // step ${i}`)

describe('chunkFile: where chunks start and end', () => {
  it.each([
    {
      name: 'TypeScript: one chunk per top-level function (imports join the first), doc comment and decorator attached',
      file: 'src/a.ts',
      text: `import {x} from './x.js'\n\n/** Adds. */\nexport function add() {\n${body}\n}\n\n@sealed\nexport class Box {\n${body}\n}\n`,
      tokens: 200,
      want: [
        [1, 13, 'add'],
        [15, 25, 'Box'],
      ],
    },
    {
      name: 'Python: def and class at column 0, decorators and comments above belong to them; methods stay inside',
      file: 'app/models.py',
      text: `import os\n\n# Loads.\n@cache\ndef load():\n${body.replace(/const /g, '')}\n\nclass User:\n    def name(self):\n${body.replace(/const /g, '  ')}\n`,
      tokens: 200,
      want: [
        [1, 13, 'load'],
        [15, 24, 'User'],
      ],
    },
    {
      name: 'Python: a comment and decorators directly above a def start its chunk',
      file: 'app/views.py',
      text: `def index():\n${body.replace(/const /g, '')}\n\n# Shows one user.\n@login_required\n@cache(60)\ndef show(user_id):\n${body.replace(/const /g, '')}\n`,
      tokens: 200,
      want: [
        [1, 9, 'index'],
        [11, 22, 'show'],
      ],
    },
    {
      name: 'Go: funcs (methods too) and types',
      file: 'main.go',
      text: `package main\n\ntype Server struct {\n${body}\n}\n\n// Run starts it.\nfunc (s *Server) Run() error {\n${body}\n}\n`,
      tokens: 200,
      want: [
        [1, 12, 'Server'],
        [14, 24, 'Run'],
      ],
    },
    {
      name: 'Rust: fn, struct and impl blocks with their attributes',
      file: 'src/lib.rs',
      text: `use std::io;\n\n#[derive(Debug)]\npub struct Config {\n${body}\n}\n\nimpl Config {\n${body}\n}\n\npub async fn serve() {\n${body}\n}\n`,
      tokens: 200,
      want: [
        [1, 13, 'Config'],
        [15, 24, 'Config'],
        [26, 35, 'serve'],
      ],
    },
    {
      name: 'small neighbours are packed together up to the budget',
      file: 'src/types.ts',
      text: 'export type A = string\nexport type B = number\nexport interface C {\n  a: A\n}\n',
      tokens: 400,
      want: [[1, 5, 'A']],
    },
    {
      name: 'Markdown splits at headings',
      file: 'README.md',
      text: `# Title\n${body}\n\n## Install\n${body}\n\n## Usage\n${body}\n`,
      tokens: 200,
      want: [
        [1, 9, 'Title'],
        [11, 19, 'Install'],
        [21, 29, 'Usage'],
      ],
    },
  ])('$name', ({file, text, tokens, want}) => {
    expect(spans(chunkFile(file, text, {maxTokens: tokens}))).toEqual(want)
  })
})

describe('chunkFile: hostile and edge inputs', () => {
  it.each([
    {name: 'empty file', file: 'a.ts', text: ''},
    {name: 'only blank lines', file: 'a.ts', text: '\n\n   \n\t\n'},
  ])('$name gives no chunks', ({file, text}) => {
    expect(chunkFile(file, text, {maxTokens: 100})).toEqual([])
  })

  it.each([
    {
      name: 'a declaration over budget becomes overlapping windows',
      file: 'big.ts',
      text: `export function big() {\n${lines(300, (i) => `  call(${i}) // ${'x'.repeat(30)}`)}\n}\n`,
    },
    {name: 'a file without declarations (JSON) is windowed', file: 'data.json', text: `[\n${lines(400, (i) => `  {"id": ${i}, "name": "item ${i}"},`)}\n]\n`},
    {name: 'one minified 50 KB line is cut by characters', file: 'bundle.js', text: `var a=${'x+1;'.repeat(12_500)}`},
    {name: 'CRLF line endings', file: 'win.ts', text: `export function a() {\r\n${body.replace(/\n/g, '\r\n')}\r\n}\r\n`.repeat(30)},
    {name: 'unknown extension', file: 'notes.weird', text: lines(500, (i) => `line ${i} of notes`)},
    {name: 'no trailing newline and a unicode body', file: 'u.py', text: `def grüße():\n    return "héllo wörld ✓"\n`.repeat(80).trimEnd()},
  ])('$name: every chunk within budget, lines in range, nothing lost', ({file, text}) => {
    const tokens = 100
    const chunks = chunkFile(file, text, {maxTokens: tokens})
    const total = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n').length
    expect(chunks.length).toBeGreaterThan(1)
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(budget(tokens))
      expect(chunk.startLine).toBeGreaterThanOrEqual(1)
      expect(chunk.endLine).toBeLessThanOrEqual(total)
      expect(chunk.startLine).toBeLessThanOrEqual(chunk.endLine)
      expect(chunk.text).not.toContain('\r')
    }

    // Coverage: every non-blank line lies inside some chunk.
    const covered = new Set(chunks.flatMap((c) => Array.from({length: c.endLine - c.startLine + 1}, (_, i) => c.startLine + i)))
    text
      .replace(/\r\n/g, '\n')
      .split('\n')
      .forEach((line, i) => {
        if (line.trim() !== '') expect(covered.has(i + 1), `line ${i + 1} not in any chunk`).toBe(true)
      })
  })

  it('windows overlap, so a match at a cut still has context', () => {
    const chunks = chunkFile(
      'data.txt',
      lines(200, (i) => `row ${i} ${'y'.repeat(40)}`),
      {maxTokens: 100},
    )
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.startLine).toBeLessThanOrEqual(chunks[i - 1]!.endLine)
  })

  it('keeps the hash of an untouched declaration when its neighbour is edited', () => {
    const text = `export function a() {\n${body}\n}\n\nexport function b() {\n${body}\n}\n`
    const before = chunkFile('x.ts', text, {maxTokens: 200})
    const after = chunkFile('x.ts', text.replace('step 3', 'step three'), {maxTokens: 200})
    expect(before).toHaveLength(2)
    expect(before.map((c) => c.hash)).toEqual(chunkFile('x.ts', text, {maxTokens: 200}).map((c) => c.hash))
    expect(after[0]!.hash).not.toBe(before[0]!.hash)
    expect(after[1]!.hash).toBe(before[1]!.hash)
  })
})
