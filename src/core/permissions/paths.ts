import {lstat, readlink, realpath} from 'node:fs/promises'
import path from 'node:path'

import type {PermissionsConfig} from './config.js'
import {allow, ask, deny, type PathDecision} from './decision.js'
import {compilePathRules} from './rules.js'

/** Linux PATH_MAX and NAME_MAX: anything longer cannot be a real file, only an attempt to confuse. */
const MAX_PATH_BYTES = 4096
const MAX_NAME_BYTES = 255
/** The kernel's own limit (MAXSYMLINKS); a longer chain is a loop. */
const MAX_SYMLINK_HOPS = 40

/**
 * Zero-width and direction-changing characters make a path look like another one in a
 * confirmation prompt ("Trojan Source"); control characters can rewrite the terminal. No real
 * project needs them in a file name, so such paths are refused rather than guessed at.
 */
const DECEPTIVE_CHARACTERS = /[\u0000-\u001f\u007f\u00ad\u034f\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/u

export interface PathOptions {
  /** Base for relative paths: absolute, or relative to the project root. Default: the root. */
  cwd?: string
}

export interface PathPolicy {
  checkRead(userPath: string, options?: PathOptions): Promise<PathDecision>
  checkWrite(userPath: string, options?: PathOptions): Promise<PathDecision>
  /** Synchronous name check for walkers (list_directory, search): is this root-relative path forbidden? */
  isForbidden(rel: string): boolean
  /** The real project root. */
  realRoot(): Promise<string>
}

interface Resolved {
  /** Where the path leads, symlinks followed. */
  real: string
  /** The path as written, normalised but with symlinks not followed: its name is what the user sees. */
  lexical: string
  realRoot: string
}

export function createPathPolicy(root: string, config: PermissionsConfig, home: string): PathPolicy {
  const forbidden = compilePathRules(config.forbidden)
  const readOnly = compilePathRules(config.readOnly)
  // The permission config lives in .faithh/: a tool able to edit it could grant itself anything.
  const ownState = compilePathRules(['/.faithh'])

  let rootPromise: Promise<string> | undefined
  const realRoot = (): Promise<string> => (rootPromise ??= realpath(root).catch(() => path.resolve(root)))

  let writeRootsPromise: Promise<Array<{real: string; source: string}>> | undefined
  const writeRoots = (): Promise<Array<{real: string; source: string}>> =>
    (writeRootsPromise ??= realRoot().then((base) =>
      Promise.all(
        config.writeRoots.map(async (source) => {
          const expanded = source === '~' || source.startsWith('~/') ? path.join(home, source.slice(1)) : source
          return {source, real: await resolveReal(path.resolve(base, expanded)).catch(() => path.resolve(base, expanded))}
        }),
      ),
    ))

  const resolve = async (userPath: string, options: PathOptions): Promise<Resolved | PathDecision> => {
    const problem = pathProblem(userPath)
    if (problem) return deny(problem)
    const base = await realRoot()
    const cwd = options.cwd === undefined ? base : path.resolve(base, options.cwd)
    const lexical = path.resolve(cwd, userPath)
    // Not path.resolve for the real path: it would fold `link/..` away before the link is followed.
    const joined = path.isAbsolute(userPath) ? userPath : `${cwd}/${userPath}`
    try {
      return {real: await resolveReal(joined), lexical, realRoot: base}
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      return deny(`cannot resolve \`${userPath}\`${code ? ` (${code})` : ''}; it may be a symlink loop or an unreadable folder`)
    }
  }

  /** Forbidden by its name as written or by where it leads (a harmless-looking link to .env). */
  const forbiddenBy = (r: Resolved): string | undefined => matchEither(forbidden, r.lexical, r.realRoot) ?? matchEither(forbidden, r.real, r.realRoot)

  const forbiddenDecision = (userPath: string, r: Resolved, pattern: string): PathDecision => {
    const via = leadsTo(userPath, r)
    return withPlace(deny(`${via} is forbidden by permissions.forbidden (${pattern}); tools may not read or write it`), r)
  }

  return {
    realRoot,

    isForbidden(rel) {
      return forbidden.matchInside(rel) !== undefined
    },

    async checkRead(userPath, options = {}) {
      const r = await resolve(userPath, options)
      if (!('real' in r)) return r
      const pattern = forbiddenBy(r)
      if (pattern) return forbiddenDecision(userPath, r, pattern)
      if (!isInside(r.realRoot, r.real)) {
        return withPlace(ask(`${leadsTo(userPath, r)} is outside the project (${r.realRoot}); reading it needs confirmation`), r)
      }

      return withPlace(allow(`\`${userPath}\` is inside the project`), r)
    },

    async checkWrite(userPath, options = {}) {
      const r = await resolve(userPath, options)
      if (!('real' in r)) return r
      const pattern = forbiddenBy(r)
      if (pattern) return forbiddenDecision(userPath, r, pattern)

      const own = matchEither(ownState, r.lexical, r.realRoot) ?? matchEither(ownState, r.real, r.realRoot)
      if (own) {
        return withPlace(deny(`${leadsTo(userPath, r)} is faithh's own configuration and state (.faithh/); tools may not change it`), r)
      }

      const locked = matchEither(readOnly, r.lexical, r.realRoot) ?? matchEither(readOnly, r.real, r.realRoot)
      if (locked) return withPlace(deny(`${leadsTo(userPath, r)} is read-only by permissions.readOnly (${locked})`), r)

      const roots = await writeRoots()
      const inRoot = roots.find((writeRoot) => isInside(writeRoot.real, r.real))
      if (!inRoot) {
        const listed = roots.map((writeRoot) => writeRoot.source).join(', ')
        return withPlace(
          deny(
            `${leadsTo(userPath, r)} is outside the write roots (permissions.writeRoots: ${listed}); ` +
              'writing there needs the user to add a write root to permissions.writeRoots',
          ),
          r,
        )
      }

      if (config.writes === 'allow') {
        return withPlace(allow(`\`${userPath}\` is inside a write root and permissions.writes is "allow"`), r)
      }

      return withPlace(ask(`writing \`${userPath}\` needs confirmation (permissions.writes is "ask")`), r)
    },
  }
}

/** Why a path is refused before it is even resolved; undefined when it is well-formed. */
export function pathProblem(userPath: string): string | undefined {
  if (userPath.includes('\0')) return 'the path contains a NUL byte'
  if (userPath.trim() === '') return 'the path is empty; use "." for the project root'
  const bytes = Buffer.byteLength(userPath)
  if (bytes > MAX_PATH_BYTES) return `the path is ${bytes} bytes long; the limit is ${MAX_PATH_BYTES}`
  const longName = userPath.split(/[/\\]/).find((name) => Buffer.byteLength(name) > MAX_NAME_BYTES)
  if (longName !== undefined) {
    return `a name in the path is ${Buffer.byteLength(longName)} bytes long; the limit is ${MAX_NAME_BYTES}`
  }

  const deceptive = DECEPTIVE_CHARACTERS.exec(userPath)
  if (deceptive) {
    const code = deceptive[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
    return `the path contains U+${code}, an invisible, control or direction-changing character: the name shown would not be the file touched`
  }

  return undefined
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}

function toRel(root: string, abs: string): string {
  const rel = path.relative(root, abs).split(path.sep).join('/')
  return rel === '' ? '.' : rel
}

function matchEither(rules: ReturnType<typeof compilePathRules>, abs: string, root: string): string | undefined {
  return isInside(root, abs) ? rules.matchInside(toRel(root, abs)) : rules.matchOutside(abs)
}

function withPlace(decision: {verdict: PathDecision['verdict']; reason: string}, r: Resolved): PathDecision {
  const inside = isInside(r.realRoot, r.real)
  return {...decision, abs: r.real, ...(inside ? {rel: toRel(r.realRoot, r.real)} : {})}
}

/** "`x`", or "`x` (which leads to /real/place)" when symlinks or `..` took it somewhere else. */
function leadsTo(userPath: string, r: Resolved): string {
  if (r.real === r.lexical || r.real === path.resolve(r.realRoot, userPath)) return `\`${userPath}\``
  const shown = isInside(r.realRoot, r.real) ? toRel(r.realRoot, r.real) : r.real
  return `\`${userPath}\` (which leads to ${shown})`
}

/**
 * The real path, resolved one name at a time as the kernel does: a symlink is replaced by its target
 * before the next name is looked at, so `link/../x` goes where the kernel would go, not where
 * path.normalize would. Names that do not exist yet (a file about to be created) are appended to
 * the real path of their nearest existing parent; a dangling symlink leads to where its target
 * would be created.
 */
export async function resolveReal(absolute: string): Promise<string> {
  const pending = absolute.split(/\/+/).filter((name) => name !== '')
  let current = path.parse(absolute).root || '/'
  let hops = 0
  while (pending.length > 0) {
    const name = pending.shift()!
    if (name === '.') continue
    if (name === '..') {
      current = path.dirname(current)
      continue
    }

    const next = path.join(current, name)
    let stat: Awaited<ReturnType<typeof lstat>>
    try {
      stat = await lstat(next)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error
      const rest = path.resolve(next, ...pending)
      // Below a missing name nothing exists, unless `..` climbs back out: resolve that part again.
      return pending.includes('..') ? resolveReal(rest) : rest
    }

    if (stat.isSymbolicLink()) {
      hops += 1
      if (hops > MAX_SYMLINK_HOPS) throw Object.assign(new Error('too many symlinks'), {code: 'ELOOP'})
      const target = await readlink(next)
      if (path.isAbsolute(target)) current = path.parse(target).root || '/'
      pending.unshift(...target.split(/\/+/).filter((part) => part !== ''))
      continue
    }

    current = next
  }

  return current
}
