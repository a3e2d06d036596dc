import {describe, expect, it} from 'vitest'

import {parseQuery, type ParsedQuery} from '../../../src/core/rag/query.js'

const weight = (parsed: ParsedQuery, term: string) => parsed.terms.get(term) ?? 0

describe('parseQuery: code weighs more than prose', () => {
  it.each([
    {name: 'a backticked name outweighs the same word in prose', query: 'the resolver breaks, see `resolver`', heavier: 'resolver', than: undefined},
    {
      name: 'a snake_case name in prose counts whole, above its parts',
      query: 'to_unstacked_dataset is broken',
      heavier: 'to_unstacked_dataset',
      than: 'unstacked',
    },
    {name: 'a camelCase name in prose counts whole', query: 'calling parseInline twice fails', heavier: 'parseinline', than: 'twice'},
    {name: 'title words count more than body words', query: 'Legend overflow\nthe chart has a tooltip', heavier: 'legend', than: 'tooltip'},
  ])('$name', ({query, heavier, than}) => {
    const parsed = parseQuery(query)
    expect(weight(parsed, heavier)).toBeGreaterThan(than ? weight(parsed, than) : 1)
  })

  it.each([
    {name: 'Class.method: class and method', query: 'Dataset.to_stacked_array drops attrs', names: ['dataset', 'to_stacked_array']},
    {name: 'module.func( call', query: 'np.testing.assert_allclose( fails', names: ['assert_allclose', 'testing']},
    {name: 'a call in inline code', query: 'use `draft.add(3)` then iterate', names: ['add']},
    {name: 'error class names', query: 'raises MergeError: conflicting values for variable', names: ['mergeerror']},
    {
      name: 'names in a fenced code block, not its local variables',
      query: '```python\nts = TimeSeries(time=t)\nts.remove_column("flux")\n```',
      names: ['timeseries', 'remove_column'],
    },
  ])('names: $name', ({query, names}) => {
    const parsed = parseQuery(query)
    for (const name of names) expect([...parsed.names.keys()]).toContain(name)
  })

  it('local variables and numbers in code are not names', () => {
    const parsed = parseQuery('```python\nts = TimeSeries(time=t)\nx = 100003\n```')
    expect(parsed.names.has('ts')).toBe(false)
    expect(parsed.terms.has('100003')).toBe(false)
  })

  it('a sentence in backticks (an error message) is read as words, not as names', () => {
    const parsed = parseQuery('`ValueError: TimeSeries object is invalid - expected time as the first column`')
    expect(parsed.names.has('valueerror')).toBe(true)
    expect(parsed.names.has('invalid')).toBe(false)
    expect(parsed.terms.has('invalid')).toBe(true)
  })
})

describe('parseQuery: paths, frames and modules', () => {
  it.each([
    {name: 'a path in prose', query: 'the bug is in src/core/scale.js somewhere', path: 'src/core/scale.js', kind: 'file'},
    {name: 'a bare file name with a code extension', query: 'see Tokenizer.js for the rule', path: 'Tokenizer.js', kind: 'file'},
    {
      name: 'a Python traceback frame, installed copy',
      query: 'File "/usr/lib/python3.11/site-packages/xarray/core/dataset.py", line 120, in to_stacked_array',
      path: 'xarray/core/dataset.py',
      kind: 'file',
    },
    {
      name: 'a JavaScript stack frame in node_modules',
      query: '    at Parser.parseInline (/app/node_modules/marked/src/Parser.js:120:15)',
      path: 'src/Parser.js',
      kind: 'file',
    },
    {name: 'a relative path', query: 'edit ./lib/command.ts', path: 'lib/command.ts', kind: 'file'},
    {
      name: 'a GitHub link to a file of the repository',
      query: 'see https://github.com/o/r/blob/main/src/helpers/dom.ts#L10',
      path: 'src/helpers/dom.ts',
      kind: 'file',
    },
    {name: 'a Python import names a module', query: '```python\nfrom astropy.timeseries import TimeSeries\n```', path: 'astropy/timeseries', kind: 'module'},
  ])('$name', ({query, path, kind}) => {
    expect(parseQuery(query).paths).toContainEqual(expect.objectContaining({path, kind}))
  })

  it('a traceback frame names its function', () => {
    const parsed = parseQuery('File "x/core/merge.py", line 10, in merge_core\n    raise MergeError(msg)')
    expect(parsed.names.has('merge_core')).toBe(true)
  })

  it('web addresses are neither paths nor words', () => {
    const parsed = parseQuery('repro at https://runkit.com/matchu/5ea3a4b828ff10001bb538ea please')
    expect(parsed.paths).toEqual([])
    expect(parsed.terms.has('runkit')).toBe(false)
  })
})

describe('parseQuery: what is left out', () => {
  it.each([
    {name: 'English stop-words', query: 'the is of and to', terms: []},
    {name: 'bug report template words', query: 'Expected behavior. Steps to reproduce. Actual behaviour.', terms: []},
    {name: 'issue-template comments', query: '<!-- Please check the CONTRIBUTING guidelines -->\nlegend overflows', terms: ['legend', 'overflow']},
  ])('$name', ({query, terms}) => {
    expect([...parseQuery(query).terms.keys()].sort()).toEqual(terms.sort())
  })

  it('drops a pasted version list, keeps the report', () => {
    const dump = [
      'INSTALLED VERSIONS',
      'python: 3.7.6 | packaged by conda-forge',
      'numpy: 1.18.1',
      'scipy: 1.4.1',
      'netCDF4: 1.5.3',
      'pydap: None',
      'h5netcdf: None',
      'OS: Linux',
    ].join('\n')
    const parsed = parseQuery(`weighted mean is wrong for boolean weights\n\n${dump}`)
    expect(parsed.terms.has('weighted')).toBe(true)
    for (const term of ['scipy', 'netcdf4', 'pydap', 'h5netcdf', 'conda']) expect(parsed.terms.has(term)).toBe(false)
  })

  it('drops a collapsed <details> block of versions with its summary', () => {
    const parsed = parseQuery(
      'bad unstack\n<details><summary>Output of xr.show_versions()</summary>\n\nxarray: 0.15.1\npandas: 1.0.3\nnumpy: 1.17.3\nscipy: 1.3.1\n</details>',
    )
    expect(parsed.names.has('show_versions')).toBe(false)
    expect(parsed.terms.has('pandas')).toBe(false)
  })
})

describe('parseQuery: which kinds of file the query asks for', () => {
  it.each([
    {query: 'add a unit test for the parser', wants: ['test']},
    {query: 'this test case fails on Windows', wants: []},
    {query: 'see tests/test_blueprints.py for a repro', wants: []},
    {query: 'test_unstack_single_dim fails', wants: ['test']},
    {query: 'the docs say the default is 3', wants: ['docs']},
    {query: 'add an entry to the changelog', wants: ['changelog']},
    {query: 'the typings of produce are wrong', wants: ['types']},
    {query: 'legend overflows the canvas', wants: []},
  ])('$query → $wants', ({query, wants}) => {
    expect([...parseQuery(query).wants].sort()).toEqual(wants.sort())
  })
})

describe('parseQuery: bad input never crashes or hangs', () => {
  it.each([
    {name: 'empty', query: ''},
    {name: 'whitespace', query: ' \n\t '},
    {name: 'only stop-words', query: 'the of and is it was'},
    {name: 'only punctuation', query: '!@#%^&*()[]{};:,.<>/?'},
  ])('$name: nothing to search for', ({query}) => {
    const parsed = parseQuery(query)
    expect(parsed.terms.size + parsed.names.size + parsed.paths.length).toBe(0)
  })

  it('a 100 KB query is read within bounds, quickly', () => {
    const words = Array.from({length: 20_000}, (_, i) => `word${i} `).join('')
    const started = performance.now()
    const parsed = parseQuery(`Title with parseInline\n${words}`.padEnd(100_000, 'x '))
    expect(performance.now() - started).toBeLessThan(2000)
    expect(parsed.terms.size).toBeLessThanOrEqual(256)
    expect(parsed.terms.has('parseinline')).toBe(true)
  })

  it.each([
    {name: 'one 100 KB word', query: '_'.repeat(100_000)},
    {name: 'a path of 12,000 folders', query: 'a/'.repeat(12_000)},
    {name: 'a dotted name of 12,000 parts', query: `${'a.'.repeat(12_000)}(`},
    {name: 'near-limit words, many of them', query: `${'_'.repeat(299)} `.repeat(300)},
    {name: 'a traceback frame with a huge path', query: `File "${'x/'.repeat(5000)}y.py", line 1, in f\n`.repeat(4)},
    {name: 'thousands of fences and tags', query: '```\n<details>\n'.repeat(5000)},
  ])('patterns do not backtrack on $name', ({query}) => {
    const started = performance.now()
    parseQuery(query)
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('binary garbage gives a bounded result, without throwing', () => {
    const bytes = Buffer.from(Array.from({length: 50_000}, (_, i) => (i * 7919) % 256))
    const parsed = parseQuery(bytes.toString('latin1'))
    expect(parsed.terms.size).toBeLessThanOrEqual(256)
    expect(parsed.paths.length).toBeLessThanOrEqual(32)
  })

  it('an unclosed code fence and an unclosed comment do not swallow errors', () => {
    expect(() => parseQuery('```\nfoo(\n<!-- never closed')).not.toThrow()
  })
})
