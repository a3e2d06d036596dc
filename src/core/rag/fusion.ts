/**
 * Weighted reciprocal rank fusion (Cormack et al., 2009) of the lexical and the vector ranking: each
 * ranking adds weight / (k + rank) to an item's score. It needs no calibration between BM25 scores and
 * cosine distances, which live on unrelated scales, and k = 60 keeps one ranking's top item from
 * drowning out agreement between them. Ties go to the better single rank, then to the earlier
 * ranking, so the order is deterministic.
 *
 * Lexical evidence is the one measured on real bug reports (see README, "Retrieval benchmark"), and an
 * exact name or path it found must not be lost to vectors that merely agree on vaguer neighbours: the
 * lexical ranking weighs more, and its strong hits (see `strongHits`) are kept in the top `protect`.
 */
export interface FusionOptions {
  weights?: number[]
  k?: number
  /** Items that must stay within the first `protect` places, in their order. */
  keep?: string[]
  protect?: number
}

export function fuseRankings(rankings: string[][], {weights, k = 60, keep = [], protect = 5}: FusionOptions = {}): {id: string; score: number}[] {
  const scores = new Map<string, {score: number; best: number}>()
  for (const [which, ranking] of rankings.entries()) {
    const weight = weights?.[which] ?? 1
    for (const [index, id] of ranking.entries()) {
      const position = index * rankings.length + which
      const gain = weight / (k + index + 1)
      const entry = scores.get(id)
      if (entry) {
        entry.score += gain
        entry.best = Math.min(entry.best, position)
      } else {
        scores.set(id, {score: gain, best: position})
      }
    }
  }

  const fused = [...scores].sort((a, b) => b[1].score - a[1].score || a[1].best - b[1].best).map(([id, {score}]) => ({id, score}))
  const ordered = withKept(fused, keep.filter((id) => scores.has(id)).slice(0, protect), protect)
  // Scores never rise down the list, so whoever sorts by them (chunks by their file's score) keeps this order.
  for (let i = 1; i < ordered.length; i++) ordered[i]!.score = Math.min(ordered[i]!.score, ordered[i - 1]!.score)
  return ordered
}

/**
 * The lexical hits fusion must keep: those in the first `protect` places that score at least
 * `share` of the best one — a clear match, not one of many near-ties.
 */
export function strongHits(ranking: {id: string; score: number}[], {protect = 5, share = 0.5} = {}): string[] {
  const top = ranking[0]?.score ?? 0
  if (top <= 0) return []
  return ranking
    .slice(0, protect)
    .filter((hit) => hit.score >= top * share)
    .map((hit) => hit.id)
}

/** Moves kept items missing from the first `protect` places into them, pushing out the last of the others. */
function withKept(fused: {id: string; score: number}[], keep: string[], protect: number): {id: string; score: number}[] {
  const head = fused.slice(0, protect)
  const missing = keep.filter((id) => !head.some((item) => item.id === id))
  if (missing.length === 0) return fused

  const kept = new Set(keep)
  const pinned = fused.filter((item) => missing.includes(item.id))
  // Drop the lowest-placed items of the head that are not kept, as many as need a place.
  const headIds = head.map((item) => item.id)
  const dropped = new Set(headIds.filter((id) => !kept.has(id)).slice(-missing.length))
  const newHead = [...head.filter((item) => !dropped.has(item.id)), ...pinned.sort((a, b) => keep.indexOf(a.id) - keep.indexOf(b.id))]
  const inHead = new Set(newHead.map((item) => item.id))
  return [...newHead, ...fused.filter((item) => !inHead.has(item.id))]
}
