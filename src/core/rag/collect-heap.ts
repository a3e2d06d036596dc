import {getHeapStatistics, setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'

let collect: (() => void) | undefined | null

/**
 * A full garbage collection, now. An index run drops a whole delta and a merged segment at every
 * commit; V8, with memory to spare, would rather grow the old generation than collect it, and a first
 * index of a large tree peaked at twice its live data. Collecting after each commit (a few ms on a
 * heap of tens of MB, every few seconds) keeps the peak near what the run holds. V8 offers `gc` only
 * behind --expose-gc, which can be turned on at run time for a fresh context; where that fails, this
 * does nothing. The flag is turned off again once the context has its `gc`: V8 stamps every code
 * cache with a hash of its flags, so while it is on, Node's own modules load without theirs and the
 * code cache faithh saves at exit (src/cli/code-cache.ts) would be refused by the next run.
 */
export function collectHeap(): void {
  if (collect === undefined) {
    try {
      setFlagsFromString('--expose-gc')
      collect = runInNewContext('gc') as () => void
    } catch {
      collect = null
    } finally {
      setFlagsFromString('--no-expose-gc')
    }
  }

  collect?.()
  liveAfterCollect = getHeapStatistics().used_heap_size
}

let liveAfterCollect = 0

/**
 * collectHeap once the heap holds `slackBytes` more than after the last collection. An index run makes
 * garbage steadily (file texts, terms, embeddings parsed and sent on), and V8 lets the heap grow to
 * several times its live data before it collects on its own: this keeps the peak near what the run
 * holds, for the cost of a full collection per `slackBytes` of garbage. A check is a few microseconds.
 */
export function collectHeapIfGrown(slackBytes: number): void {
  if (getHeapStatistics().used_heap_size > liveAfterCollect + slackBytes) collectHeap()
}
