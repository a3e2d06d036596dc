import {describe, expect, it} from 'vitest'

import {definedNames} from '../../../src/core/rag/definitions.js'
import {fileKindOf} from '../../../src/core/rag/file-kinds.js'
import {rankFiles} from '../../../src/core/rag/file-ranking.js'
import {LexicalIndex} from '../../../src/core/rag/lexical-index.js'
import {parseQuery} from '../../../src/core/rag/query.js'
import {nameTerm, termsOf} from '../../../src/core/rag/terms.js'

/** An index of whole files (one chunk each), with kinds and names derived as `faithh index` does. */
function indexOf(files: Record<string, string>): LexicalIndex {
  const index = new LexicalIndex()
  for (const [path, text] of Object.entries(files)) {
    index.add({
      path,
      kind: fileKindOf(path, text),
      pathTerms: termsOf(path),
      names: definedNames(path, text).map(nameTerm),
      chunks: [{terms: termsOf(text)}],
    })
  }

  return index
}

const ranked = (files: Record<string, string>, query: string) => rankFiles(indexOf(files), parseQuery(query), {limit: 10}).map((file) => file.path)

const PROJECT = {
  'src/stack.py': 'class Dataset:\n    def to_stacked_array(self, dim):\n        return stack(self, dim)\n',
  'src/api.py': 'from .stack import Dataset\n\ndef load(path):\n    return Dataset().to_stacked_array(path)\n',
  'src/merge.py': 'class MergeError(ValueError):\n    pass\n\ndef merge(objects):\n    raise MergeError("conflicting values")\n',
  'tests/test_stack.py':
    'def test_to_stacked_array():\n    ds = Dataset()\n    assert ds.to_stacked_array("y") == ds.to_stacked_array("y")\n    assert ds.to_stacked_array("x")\n',
  'docs/stacking.md': '# Stacking\n\nUse to_stacked_array to stack variables; to_stacked_array keeps attrs. to_stacked_array!\n',
  'CHANGELOG.md': '## 1.2\n- to_stacked_array keeps attrs\n- fix to_stacked_array for one dimension\n',
}

describe('rankFiles: where the evidence points', () => {
  it.each([
    {
      name: 'a name the query gives as code leads to the file defining it, above files that only use it',
      query: '`to_stacked_array` drops attrs',
      first: 'src/stack.py',
    },
    {name: 'an error class leads to where it is defined', query: 'MergeError: conflicting values when combining', first: 'src/merge.py'},
    {
      name: 'a traceback frame leads to its file',
      query: 'Traceback:\n  File "/usr/lib/python3/site-packages/src/api.py", line 4, in load\nValueError',
      first: 'src/api.py',
    },
    {name: 'a path in prose leads to its file', query: 'something in src/merge.py is off', first: 'src/merge.py'},
  ])('$name', ({query, first}) => {
    expect(ranked(PROJECT, query)[0]).toBe(first)
  })

  it('ranks tests, docs and changelogs below source that has the same evidence', () => {
    const order = ranked(PROJECT, 'to_stacked_array')
    expect(order.indexOf('src/stack.py')).toBeLessThan(order.indexOf('tests/test_stack.py'))
    expect(order.indexOf('src/api.py')).toBeLessThan(order.indexOf('docs/stacking.md'))
    expect(order.at(-1)).toBe('CHANGELOG.md')
  })

  it.each([
    {name: 'tests, when the query asks for tests', query: 'add a unit test for to_stacked_array', file: 'tests/test_stack.py'},
    {name: 'docs, when the query asks for the docs', query: 'the docs of to_stacked_array are wrong', file: 'docs/stacking.md'},
    {name: 'the changelog, when asked', query: 'changelog entry for to_stacked_array', file: 'CHANGELOG.md'},
    {name: 'a test file the query names by path, alone', query: 'to_stacked_array, see tests/test_stack.py', file: 'tests/test_stack.py'},
  ])('ranks $name as it matches', ({query, file}) => {
    expect(ranked(PROJECT, query).slice(0, 2)).toContain(file)
  })

  it('a test file named by path lifts that file, not every test', () => {
    const files = {...PROJECT, 'tests/test_merge.py': 'def test_to_stacked_array_merge():\n    to_stacked_array(to_stacked_array)\n'}
    const order = ranked(files, 'to_stacked_array, see tests/test_stack.py')
    expect(order.indexOf('tests/test_stack.py')).toBeLessThan(order.indexOf('src/api.py'))
    expect(order.indexOf('tests/test_merge.py')).toBeGreaterThan(order.indexOf('src/api.py'))
  })

  it('bundles and vendored copies rank below the source they repeat', () => {
    const files = {
      'src/parse.js': 'export function parseInline(src) {\n  return tokens(src)\n}\n',
      'lib/parse.umd.js':
        "(function (global, factory) {\n  typeof exports === 'object' && typeof module !== 'undefined' ? factory(exports) : 0\n})\nfunction parseInline(src) { return tokens(src) }\nparseInline(parseInline)\n",
      'vendor/other/parse.js': 'function parseInline(src) { return parseInline(src) }\n',
    }
    const order = ranked(files, 'parseInline breaks on tabs')
    expect(order[0]).toBe('src/parse.js')
    expect(order.slice(1).sort()).toEqual(['lib/parse.umd.js', 'vendor/other/parse.js'])
  })

  it('keeps only accepted paths, and finds nothing for nothing', () => {
    const index = indexOf(PROJECT)
    expect(rankFiles(index, parseQuery('to_stacked_array'), {limit: 10, accept: (path) => path.startsWith('docs/')}).map((f) => f.path)).toEqual([
      'docs/stacking.md',
    ])
    expect(rankFiles(index, parseQuery(''), {limit: 10})).toEqual([])
    expect(rankFiles(index, parseQuery('the of and'), {limit: 10})).toEqual([])
    expect(rankFiles(new LexicalIndex(), parseQuery('to_stacked_array'), {limit: 10})).toEqual([])
  })
})
