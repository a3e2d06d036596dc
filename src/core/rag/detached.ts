/**
 * A copy of a string that does not keep its source alive. V8 cuts substrings (split, slice, regex
 * matches) as views into the string they come from, so a name or term kept for the whole index run
 * (a symbol in the manifest, a word in the term cache) would otherwise hold on to its whole file,
 * and an index run's memory would grow with the project.
 */
export function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8')
}
