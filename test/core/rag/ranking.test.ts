import {describe, expect, it} from 'vitest'

import {collectionNameFor} from '../../../src/core/rag/chroma-store.js'
import {fuseRankings} from '../../../src/core/rag/fusion.js'
import {fileKindOf} from '../../../src/core/rag/file-kinds.js'
import {rankFiles} from '../../../src/core/rag/file-ranking.js'
import {LexicalIndex} from '../../../src/core/rag/lexical-index.js'
import {decodePostings, encodePostings} from '../../../src/core/rag/postings-codec.js'
import {parseQuery} from '../../../src/core/rag/query.js'
import {nameTerm, termsOf} from '../../../src/core/rag/terms.js'

describe('termsOf: identifiers meet words', () => {
  it.each([
    {name: 'camelCase counts whole and in parts', text: 'parseToolCalls', want: ['parsetoolcalls', 'parse', 'tool', 'call']},
    {name: 'snake_case too', text: 'max_file_bytes', want: ['max_file_bytes', 'max', 'file', 'byte']},
    {name: 'acronyms split before the next word', text: 'HTTPServer', want: ['httpserver', 'http', 'server']},
    {name: 'digits stay with their word', text: 'utf8Decode', want: ['utf8decode', 'utf8', 'decode']},
    {name: 'plain words are lower-cased and lightly stemmed', text: 'Retries the Files', want: ['retry', 'the', 'file']},
    {name: '-ss and -us words keep their s', text: 'class status', want: ['class', 'status']},
    {name: 'one-letter names and punctuation are dropped', text: 'a = b + c; // x', want: []},
    {name: 'numbers of two digits or more count', text: 'HTTP 404, code 7', want: ['http', '404', 'code']},
    {name: 'hashes and minified runs (over 40 characters) are skipped', text: `id ${'a'.repeat(41)}`, want: ['id']},
    {name: 'leading underscores do not make a separate term', text: '__init__', want: ['init']},
    {name: 'prototype names are ordinary terms', text: 'constructor __proto__', want: ['constructor', 'proto']},
  ])('$name', ({text, want}) => {
    expect(termsOf(text)).toEqual(want)
  })
})

describe('LexicalIndex: files, chunks and fields, ranked by rankFiles', () => {
  const file = (path: string, text: string, names: string[] = []) => ({
    path,
    kind: fileKindOf(path),
    pathTerms: termsOf(path),
    names: names.map(nameTerm),
    chunks: [{terms: termsOf(text)}],
  })
  const index = () => {
    const lexical = new LexicalIndex()
    lexical.add(file('src/llm/tool-call-parser.ts', 'export function parseToolCalls(text: string) { return calls }', ['parseToolCalls']))
    lexical.add(file('src/agent/loop.ts', 'for each step: call the model, then run the tool calls it made'))
    lexical.add(file('docs/agent.md', 'faithh is an agent. The agent answers questions.'))
    lexical.add(file('app/parse.py', 'def parse_config(path): return load(path)', ['parse_config']))
    return lexical
  }
  const top = (lexical: LexicalIndex, query: string, accept?: (path: string) => boolean) =>
    rankFiles(lexical, parseQuery(query), {limit: 5, accept}).map((f) => f.path)

  it.each([
    {name: 'an identifier finds its definition first', query: 'parseToolCalls', first: 'src/llm/tool-call-parser.ts'},
    {name: 'words find a camelCase identifier', query: 'parse tool calls', first: 'src/llm/tool-call-parser.ts'},
    {name: 'words find a snake_case identifier', query: 'parse config', first: 'app/parse.py'},
    {name: 'a rare term outweighs a common one', query: 'what the agent answers', first: 'docs/agent.md'},
  ])('$name', ({query, first}) => {
    expect(top(index(), query)[0]).toBe(first)
  })

  it('filters by path while ranking, not after', () => {
    expect(top(index(), 'parse', (path) => path.endsWith('.py'))).toEqual(['app/parse.py'])
  })

  it('forgets every chunk of a removed file', () => {
    const lexical = index()
    lexical.removePath('src/llm/tool-call-parser.ts')
    expect(lexical.size).toBe(3)
    expect(lexical.chunkCount).toBe(3)
    expect(top(lexical, 'parseToolCalls')).not.toContain('src/llm/tool-call-parser.ts')
  })

  it('a file added again replaces its earlier version', () => {
    const lexical = index()
    lexical.add(file('app/parse.py', 'def read_settings(): pass', ['read_settings']))
    expect(lexical.size).toBe(4)
    expect(top(lexical, 'load')).toEqual([])
    expect(top(lexical, 'read_settings')).toEqual(['app/parse.py'])
  })

  it('keeps postings right when files are added after a search (the lists are cut, then added to)', () => {
    const lexical = index()
    expect(top(lexical, 'parse')).toEqual(['app/parse.py', 'src/llm/tool-call-parser.ts'])
    lexical.add(file('src/parse/more.ts', 'export function parseMore() { return parse(more) }', ['parseMore']))
    expect(Array.from(lexical.postings('path', 'parse')!)).toEqual([3, 1, 4, 1])
    expect(top(lexical, 'parseMore')[0]).toBe('src/parse/more.ts')
    expect(top(lexical, 'parse config')[0]).toBe('app/parse.py')
  })

  it('finds nothing in an empty index or for a query of unknown words', () => {
    expect(rankFiles(new LexicalIndex(), parseQuery('x'), {limit: 3})).toEqual([])
    expect(top(index(), 'zebra quantum')).toEqual([])
  })
})

describe('posting lists survive their compact encoding', () => {
  it.each([
    {name: 'empty', list: []},
    {name: 'one small posting', list: [0, 1]},
    {name: 'frequencies over one varint byte', list: [3, 127, 4, 128, 9, 300_000]},
    {name: 'large gaps between slots', list: [5, 1, 70_000, 2, 2_000_000, 1, 200_000_000, 4]},
    {name: 'values past 32 bits (offsets in large files)', list: [0, 1, 2 ** 40, 3, 2 ** 52, 2 ** 33]},
    {name: 'consecutive slots', list: Array.from({length: 2000}, (_, i) => (i % 2 === 0 ? i / 2 : 1 + (i % 7)))},
  ])('$name', ({list}) => {
    expect([...decodePostings(encodePostings(list).take(), list.length / 2)]).toEqual(list)
  })

  it('rejects a list whose bytes hold more or fewer entries than the dictionary says, or end mid-number', () => {
    const bytes = encodePostings([1, 2, 5, 1, 9, 3]).take()
    expect(() => decodePostings(bytes, 2)).toThrow(/holds another number/)
    expect(() => decodePostings(bytes, 4)).toThrow(/holds another number/)
    expect(() => decodePostings(encodePostings([1, 300]).take().subarray(0, 2), 1)).toThrow(/cut short/)
    expect(() => decodePostings(encodePostings([2 ** 40, 1]).take(), 2)).toThrow(/holds another number/)
  })
})

describe('fuseRankings: reciprocal rank fusion', () => {
  it.each([
    {
      name: "agreement beats one ranking's top item",
      rankings: [
        ['a', 'b'],
        ['c', 'b'],
      ],
      want: ['b', 'a', 'c'],
    },
    {name: 'a single ranking keeps its order', rankings: [['x', 'y', 'z']], want: ['x', 'y', 'z']},
    {
      name: 'ties go to the better rank, then to the first ranking',
      rankings: [
        ['v1', 'v2'],
        ['l1', 'l2'],
      ],
      want: ['v1', 'l1', 'v2', 'l2'],
    },
    {name: 'empty rankings fuse to nothing', rankings: [[], []], want: []},
  ])('$name', ({rankings, want}) => {
    expect(fuseRankings(rankings).map((r) => r.id)).toEqual(want)
  })
})

describe('collectionNameFor: valid Chroma names from any folder name', () => {
  const valid = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]$/
  it.each([
    {name: 'a plain folder', root: '/home/me/my-app', prefix: 'faithh-my-app-'},
    {name: 'spaces and unicode become dashes', root: '/home/me/Mon Projet ✓', prefix: 'faithh-Mon-Projet-'},
    {name: 'dots and dashes at the edges are trimmed', root: '/tmp/.hidden-', prefix: 'faithh-hidden-'},
    {name: 'the filesystem root', root: '/', prefix: 'faithh-project-'},
    {name: 'nothing usable in the name', root: '/srv/✓✓✓', prefix: 'faithh-project-'},
    {name: 'a very long name is shortened', root: `/x/${'a'.repeat(600)}`, prefix: `faithh-${'a'.repeat(48)}-`},
  ])('$name', ({root, prefix}) => {
    const name = collectionNameFor(root)
    expect(name).toMatch(valid)
    expect(name.startsWith(prefix)).toBe(true)
    expect(name.length).toBeLessThanOrEqual(512)
  })

  it('differs between two projects with the same folder name', () => {
    expect(collectionNameFor('/a/app')).not.toBe(collectionNameFor('/b/app'))
  })
})
