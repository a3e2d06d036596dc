import {createTwoFilesPatch} from 'diff'

/** A unified diff of one file, `a/` and `b/` prefixed like git's, or '' when nothing changed. */
export function unifiedDiff(rel: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return ''
  const patch = createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a/${rel}`,
    after === undefined ? '/dev/null' : `b/${rel}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    {context: 3},
  )
  // Drop the "=====" banner line the diff package puts first.
  return patch.replace(/^=+\n/, '')
}
