import path from 'node:path'
import picomatch from 'picomatch'

/**
 * Matching of the configured globs and command prefixes. Everything here is pure and synchronous:
 * the file system is consulted in paths.ts, never here.
 */

export interface PathRules {
  /** The pattern that makes a root-relative path match (itself or a folder above it), if any. */
  matchInside(rel: string): string | undefined
  /** Same for a path outside the root: only name patterns (no "/") apply, to every folder on the way. */
  matchOutside(abs: string): string | undefined
}

interface CompiledPattern {
  source: string
  negated: boolean
  /** Anchored patterns are matched against root-relative prefixes; name patterns against single names. */
  anchored: boolean
  test: (candidate: string) => boolean
}

/**
 * Case-insensitive on purpose: on macOS and Windows `.ENV` *is* `.env`. NFC on both sides, since
 * macOS hands out decomposed names and a model types composed ones.
 */
export function compilePathRules(patterns: readonly string[]): PathRules {
  const compiled = patterns.map(compilePattern).filter((p): p is CompiledPattern => p !== undefined)

  const decide = (names: string[], prefixes: string[] | undefined): string | undefined => {
    let matched: string | undefined
    for (const pattern of compiled) {
      const candidates = pattern.anchored ? prefixes : names
      if (!candidates?.some(pattern.test)) continue
      matched = pattern.negated ? undefined : pattern.source
    }

    return matched
  }

  return {
    matchInside(rel) {
      const names = splitPath(rel)
      if (names.length === 0) return undefined
      const prefixes = names.map((_, i) => names.slice(0, i + 1).join('/'))
      return decide(names, prefixes)
    },
    matchOutside(abs) {
      return decide(splitPath(abs), undefined)
    },
  }
}

function compilePattern(raw: string): CompiledPattern | undefined {
  let source = raw.trim().normalize('NFC')
  const negated = source.startsWith('!')
  if (negated) source = source.slice(1)
  let body = source.replace(/^\.\//, '')
  const rooted = body.startsWith('/')
  body = body.replace(/^\/+/, '').replace(/\/+$/, '')
  if (body === '') return undefined
  const anchored = rooted || body.includes('/')
  const isMatch = picomatch(body, {dot: true, nocase: true})
  return {source: raw.trim(), negated, anchored, test: (candidate) => isMatch(candidate)}
}

function splitPath(p: string): string[] {
  return p
    .normalize('NFC')
    .split(/[/\\]+/)
    .filter((part) => part !== '' && part !== '.')
}

export interface CommandRule {
  /** As written in the config, for reasons: `git status`. */
  source: string
  words: Array<(word: string) => boolean>
}

/** "git status" -> two words that must begin the argv; a word with * ? [ is a glob (`mkfs.*`). */
export function compileCommandRules(rules: readonly string[]): CommandRule[] {
  return rules
    .map((source) => source.trim())
    .filter((source) => source !== '')
    .map((source) => ({
      source,
      words: source.split(/\s+/).map((word) => {
        if (!/[*?[]/.test(word)) return (candidate: string) => candidate === word
        const isMatch = picomatch(word, {dot: true})
        return (candidate: string) => isMatch(candidate)
      }),
    }))
}

/**
 * The first rule whose words begin `argv`. An unknown word (computed at run time) matches nothing:
 * it could be anything, so it can neither earn an allow nor be trusted to dodge a deny — the caller
 * asks about it instead. `byName`: compare the command by its file name, so `/usr/bin/sudo` is `sudo`.
 */
export function matchCommandRule(
  rules: readonly CommandRule[],
  argv: ReadonlyArray<string | undefined>,
  {byName = false}: {byName?: boolean} = {},
): CommandRule | undefined {
  return rules.find((rule) =>
    rule.words.every((test, i) => {
      let word = argv[i]
      if (word === undefined) return false
      if (i === 0 && byName) word = path.posix.basename(word)
      return test(word)
    }),
  )
}
