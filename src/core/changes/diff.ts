/**
 * A unified diff of one file, `a/` and `b/` prefixed like git's, or '' when nothing changed. The
 * diff package is imported on the first diff shown, not when a command starts.
 */
export async function unifiedDiff(rel: string, before: string | undefined, after: string | undefined): Promise<string> {
  if (before === after) return ''
  const {createTwoFilesPatch} = await import('diff')
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
