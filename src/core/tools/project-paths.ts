import {lstat, readlink, realpath} from 'node:fs/promises'
import path from 'node:path'

/**
 * Stopgap containment check until the permission-policy module lands: every path a tool touches
 * must resolve (symlinks included) to somewhere inside the project root.
 */
export type ProjectPath = {ok: true; abs: string; rel: string} | {ok: false; reason: string}

const MAX_PATH_LENGTH = 4096
const MAX_SYMLINK_HOPS = 40

export async function resolveProjectPath(root: string, userPath: string): Promise<ProjectPath> {
  if (userPath.includes('\0')) return {ok: false, reason: 'path contains a NUL byte'}
  if (userPath.trim() === '') return {ok: false, reason: 'path is empty; use "." for the project root'}
  if (userPath.length > MAX_PATH_LENGTH) {
    return {ok: false, reason: `path is ${userPath.length} characters long; the limit is ${MAX_PATH_LENGTH}`}
  }

  let realRoot: string
  try {
    realRoot = await realpath(root)
  } catch {
    realRoot = path.resolve(root)
  }

  const lexical = path.resolve(realRoot, userPath)
  if (!isInside(realRoot, lexical)) return {ok: false, reason: await outsideReason(realRoot, userPath)}

  let real: string
  try {
    real = await resolveReal(lexical, 0)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return {ok: false, reason: `cannot resolve path ${userPath}${code ? ` (${code})` : ''}`}
  }

  if (!isInside(realRoot, real)) {
    return {
      ok: false,
      reason: `path ${userPath} resolves through a symlink to ${real}, outside the project root ${realRoot}; faithh only touches files inside the project`,
    }
  }

  const rel = path.relative(realRoot, real).split(path.sep).join('/')
  return {ok: true, abs: real, rel: rel === '' ? '.' : rel}
}

export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}

async function outsideReason(root: string, userPath: string): Promise<string> {
  const base = `path ${userPath} is outside the project root ${root}; faithh only touches files inside the project`
  if (!path.isAbsolute(userPath)) return base
  // Models often write "/src/x.ts" meaning the project's src/x.ts.
  const stripped = userPath.replace(/^[/\\]+/, '')
  if (stripped === '') return base
  try {
    await lstat(path.join(root, stripped))
    return `${base}. Did you mean ${stripped}?`
  } catch {
    return base
  }
}

/**
 * realpath that also works for paths that do not exist yet: resolves the nearest existing ancestor
 * and follows dangling symlinks by hand, so a write through a link cannot land outside the root.
 */
async function resolveReal(p: string, hops: number): Promise<string> {
  try {
    return await realpath(p)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error
  }

  const stat = await lstat(p).catch(() => undefined)
  if (stat?.isSymbolicLink()) {
    if (hops >= MAX_SYMLINK_HOPS) throw Object.assign(new Error('too many symlinks'), {code: 'ELOOP'})
    const target = await readlink(p)
    return resolveReal(path.resolve(path.dirname(p), target), hops + 1)
  }

  const parent = path.dirname(p)
  if (parent === p) return p
  return path.join(await resolveReal(parent, hops), path.basename(p))
}
