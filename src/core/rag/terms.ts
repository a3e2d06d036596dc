import {detached} from './detached.js'

/**
 * The terms the lexical index matches on. Code names are compounds (`parseToolCalls`,
 * `max_file_bytes`, `HTTPServer`), while questions use words ("parse tool calls"): every identifier
 * counts as itself and as its parts, so both forms meet.
 */
export const WORD = /[A-Za-z_$][\w$]*|\d{2,}/g
/** Longer "words" are hashes, base64 and minified code: noise that only grows the index. */
export const MAX_TERM = 40

export function termsOf(text: string): string[] {
  const terms: string[] = []
  for (const [word] of text.matchAll(WORD)) {
    if (word.length > MAX_TERM) continue
    let wordTerms = cache.get(word)
    if (!wordTerms) {
      wordTerms = termsOfWord(word)
      if (cache.size >= CACHE_SIZE) cache.clear()
      // Word and terms are views into the text they were found in: copies, so the cache keeps no file alive.
      wordTerms = wordTerms.map(detached)
      cache.set(detached(word), wordTerms)
    }

    for (const term of wordTerms) terms.push(term)
  }

  return terms
}

/** Code repeats its names endlessly: splitting each distinct word once makes indexing several times faster. */
const cache = new Map<string, string[]>()
const CACHE_SIZE = 20_000

function termsOfWord(word: string): string[] {
  const {whole, parts} = wordTerms(word)
  return whole ? [whole, ...parts] : parts
}

/**
 * A word's terms as the index holds them: `whole` (the identifier as one term, lower case) only for
 * compounds, and its stemmed parts. A query weighs the whole name above its parts.
 */
export function wordTerms(word: string): {whole?: string; parts: string[]} {
  const split = splitIdentifier(word)
  const whole = nameTerm(word)
  const parts = split.filter((part) => part.length >= 2).map(stem)
  return split.length > 1 && whole.length >= 2 ? {whole, parts} : {parts}
}

/** The term an identifier is known by in the symbol field: its whole name, lower case, edge underscores dropped. */
export function nameTerm(identifier: string): string {
  return identifier.toLowerCase().replace(/^[_$]+|[_$]+$/g, '')
}

/** `parseHTTPResponse_v2` -> parse, http, response, v2. */
export function splitIdentifier(word: string): string[] {
  return word
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[\s_$]+/)
    .filter(Boolean)
    .map((part) => part.toLowerCase())
}

/** Plural and verb "-s" only: enough for "files" to find "file", without a stemmer's surprises. */
function stem(term: string): string {
  if (term.length > 3 && term.endsWith('s') && !term.endsWith('ss') && !term.endsWith('us') && !term.endsWith('is')) {
    return term.endsWith('ies') && term.length > 4 ? `${term.slice(0, -3)}y` : term.slice(0, -1)
  }

  return term
}
