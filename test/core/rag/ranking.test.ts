import {describe, expect, it} from 'vitest'

import {collectionNameFor} from '../../../src/core/rag/chroma-store.js'
import {fuseRankings} from '../../../src/core/rag/fusion.js'
import {decodePostings, encodePostings, LexicalIndex} from '../../../src/core/rag/lexical-index.js'
import {termsOf} from '../../../src/core/rag/terms.js'

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

describe('LexicalIndex: BM25 over chunks', () => {
  const index = () => {
    const lexical = new LexicalIndex()
    lexical.add({id: 'parser', path: 'src/llm/tool-call-parser.ts', terms: termsOf('export function parseToolCalls(text: string) { return calls }')})
    lexical.add({id: 'loop', path: 'src/agent/loop.ts', terms: termsOf('for each step: call the model, then run the tool calls it made')})
    lexical.add({id: 'readme', path: 'README.md', terms: termsOf('faithh is an agent. The agent answers questions.')})
    lexical.add({id: 'py', path: 'app/parse.py', terms: termsOf('def parse_config(path): return load(path)')})
    return lexical
  }

  it.each([
    {name: 'an identifier finds its definition first', query: 'parseToolCalls', top: 'parser'},
    {name: 'words find a camelCase identifier', query: 'parse tool calls', top: 'parser'},
    {name: 'words find a snake_case identifier', query: 'parse config', top: 'py'},
    {name: 'a rare term outweighs a common one', query: 'what the agent answers', top: 'readme'},
  ])('$name', ({query, top}) => {
    expect(index().search(termsOf(query), {limit: 5})[0]?.id).toBe(top)
  })

  it('filters by path while ranking, not after', () => {
    const hits = index().search(termsOf('parse'), {limit: 1, accept: (path) => path.endsWith('.py')})
    expect(hits.map((h) => h.id)).toEqual(['py'])
  })

  it('forgets every chunk of a removed file, also after a round trip through JSON', () => {
    const lexical = index()
    lexical.removePath('src/llm/tool-call-parser.ts')
    expect(lexical.search(termsOf('parseToolCalls'), {limit: 5}).map((h) => h.id)).not.toContain('parser')
    const reloaded = LexicalIndex.fromJSON(JSON.parse(JSON.stringify(lexical)))
    expect(reloaded.size).toBe(3)
    expect(reloaded.search(termsOf('parse config'), {limit: 5})).toEqual(lexical.search(termsOf('parse config'), {limit: 5}))
    expect(reloaded.search(termsOf('parseToolCalls'), {limit: 5}).map((h) => h.id)).not.toContain('parser')
  })

  it('finds nothing in an empty index or for a query of unknown words', () => {
    expect(new LexicalIndex().search(['x'], {limit: 3})).toEqual([])
    expect(index().search(termsOf('zebra quantum'), {limit: 3})).toEqual([])
  })
})

describe('posting lists survive their compact encoding', () => {
  it.each([
    {name: 'empty', list: []},
    {name: 'one small posting', list: [0, 1]},
    {name: 'frequencies over one varint byte', list: [3, 127, 4, 128, 9, 300_000]},
    {name: 'large gaps between slots', list: [5, 1, 70_000, 2, 2_000_000, 1, 200_000_000, 4]},
    {name: 'consecutive slots', list: Array.from({length: 2000}, (_, i) => (i % 2 === 0 ? i / 2 : 1 + (i % 7)))},
  ])('$name', ({list}) => {
    expect(decodePostings(encodePostings(list))).toEqual(list)
  })
})

describe('fuseRankings: reciprocal rank fusion', () => {
  it.each([
    {name: 'agreement beats one ranking\'s top item', rankings: [['a', 'b'], ['c', 'b']], want: ['b', 'a', 'c']},
    {name: 'a single ranking keeps its order', rankings: [['x', 'y', 'z']], want: ['x', 'y', 'z']},
    {name: 'ties go to the better rank, then to the first ranking', rankings: [['v1', 'v2'], ['l1', 'l2']], want: ['v1', 'l1', 'v2', 'l2']},
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
