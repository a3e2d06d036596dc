import {describe, expect, it} from 'vitest'

import {fuseRankings, strongHits} from '../../../src/core/rag/fusion.js'

const ids = (items: {id: string}[]) => items.map((item) => item.id)

describe('fuseRankings: weighted reciprocal rank fusion', () => {
  it.each([
    {
      name: "agreement beats one ranking's top item",
      rankings: [
        ['a', 'b'],
        ['c', 'b'],
      ],
      weights: undefined,
      want: ['b', 'a', 'c'],
    },
    {
      name: 'the heavier ranking wins a disagreement',
      rankings: [
        ['l1', 'l2'],
        ['v1', 'v2'],
      ],
      weights: [1, 0.6],
      want: ['l1', 'l2', 'v1', 'v2'],
    },
    {
      name: 'equal weights interleave, first ranking first',
      rankings: [
        ['l1', 'l2'],
        ['v1', 'v2'],
      ],
      weights: [1, 1],
      want: ['l1', 'v1', 'l2', 'v2'],
    },
    {name: 'empty rankings fuse to nothing', rankings: [[], []], weights: undefined, want: []},
  ])('$name', ({rankings, weights, want}) => {
    expect(ids(fuseRankings(rankings, {weights}))).toEqual(want)
  })

  it('keeps a strong lexical hit in the top 5 that agreement between other items would push out', () => {
    // "exact" is first lexically only; five files both rankings half-agree on outscore it in plain RRF.
    const lexical = ['exact', 'a', 'b', 'c', 'd', 'e']
    const vector = ['a', 'b', 'c', 'd', 'e', 'v1', 'v2', 'v3']
    expect(ids(fuseRankings([lexical, vector])).indexOf('exact')).toBeGreaterThanOrEqual(5)
    const fused = ids(fuseRankings([lexical, vector], {keep: ['exact']}))
    expect(fused.slice(0, 5)).toContain('exact')
    expect(fused).toHaveLength(9)
    expect(new Set(fused).size).toBe(9)
    // Scores follow the order, so sorting by score (as chunk results do) keeps the kept item's place.
    const scores = fuseRankings([lexical, vector], {keep: ['exact']}).map((item) => item.score)
    expect(scores).toEqual([...scores].sort((a, b) => b - a))
  })

  it('keeps several strong hits in their lexical order, and ignores kept ids no ranking has', () => {
    const fused = ids(
      fuseRankings(
        [
          ['s1', 's2', 'x'],
          ['a', 'b', 'c', 'd', 'e', 'x'],
        ],
        {weights: [1, 3], keep: ['s1', 's2', 'ghost']},
      ),
    )
    expect(fused.slice(0, 5)).toEqual(expect.arrayContaining(['s1', 's2']))
    expect(fused.indexOf('s1')).toBeLessThan(fused.indexOf('s2'))
    expect(fused).not.toContain('ghost')
  })
})

describe('strongHits: the lexical hits fusion must keep', () => {
  it.each([
    {name: 'a clear winner alone', ranking: [10, 3, 2, 1], want: ['f0']},
    {name: 'near-ties at the top are all strong', ranking: [10, 9, 6, 1], want: ['f0', 'f1', 'f2']},
    {name: 'never more than the protected places', ranking: [5, 5, 5, 5, 5, 5, 5], want: ['f0', 'f1', 'f2', 'f3', 'f4']},
    {name: 'nothing from an empty or scoreless ranking', ranking: [0, 0], want: []},
  ])('$name', ({ranking, want}) => {
    expect(strongHits(ranking.map((score, i) => ({id: `f${i}`, score})))).toEqual(want)
  })
})
