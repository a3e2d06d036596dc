/**
 * Reciprocal rank fusion (Cormack et al., 2009): each ranking adds 1 / (k + rank) to an item's score.
 * It needs no calibration between BM25 scores and cosine distances, which live on unrelated scales,
 * and k = 60 keeps one ranking's top item from drowning out agreement between them.
 * Ties go to the better single rank, then to the earlier ranking, so the order is deterministic.
 */
export function fuseRankings(rankings: string[][], k = 60): {id: string; score: number}[] {
  const scores = new Map<string, {score: number; best: number}>()
  for (const [which, ranking] of rankings.entries()) {
    for (const [index, id] of ranking.entries()) {
      const position = index * rankings.length + which
      const entry = scores.get(id)
      if (entry) {
        entry.score += 1 / (k + index + 1)
        entry.best = Math.min(entry.best, position)
      } else {
        scores.set(id, {score: 1 / (k + index + 1), best: position})
      }
    }
  }

  return [...scores]
    .sort((a, b) => b[1].score - a[1].score || a[1].best - b[1].best)
    .map(([id, {score}]) => ({id, score}))
}
