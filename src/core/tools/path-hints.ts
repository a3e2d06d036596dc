import {readdir} from 'node:fs/promises'
import path from 'node:path'
import {walkProject} from './project-files.js'
import {levenshtein} from './text-lines.js'

const MAX_HINTS = 3
const MAX_WALK = 20_000

/**
 * "src/x.ts does not exist. Did you mean src/x.tsx?" — near names in the same directory first,
 * then files with the same name elsewhere in the project (models often guess the folder wrong).
 */
export async function describeMissing(root: string, rel: string, signal?: AbortSignal): Promise<string> {
  const dirRel = path.posix.dirname(rel)
  const name = path.posix.basename(rel)
  const prefix = dirRel === '.' ? '' : `${dirRel}/`

  let hints: string[] = []
  let dirNote = ''
  try {
    const dirents = await readdir(path.join(root, dirRel), {withFileTypes: true})
    hints = rankNames(
      name,
      dirents.map((d) => d.name + (d.isDirectory() ? '/' : '')),
    ).map((n) => prefix + n)
  } catch {
    dirNote = ` (directory ${dirRel}/ does not exist either)`
  }

  if (hints.length === 0) hints = await findSameName(root, name, signal)

  const message = `${rel} does not exist${dirNote}.`
  if (hints.length === 0) return `${message} Use list_directory or search_code to find the right path.`
  return hints.length === 1 ? `${message} Did you mean ${hints[0]}?` : `${message} Did you mean one of: ${hints.join(', ')}?`
}

function stem(name: string): string {
  const dot = name.lastIndexOf('.')
  return (dot > 0 ? name.slice(0, dot) : name).toLowerCase()
}

/** Closest names first; only ones plausibly meant (same stem, case slip, or a typo or two). */
function rankNames(wanted: string, names: string[]): string[] {
  const lower = wanted.toLowerCase()
  const scored: {name: string; score: number}[] = []
  for (const name of names) {
    const bare = name.endsWith('/') ? name.slice(0, -1) : name
    const candidate = bare.toLowerCase()
    let score: number | undefined
    if (candidate === lower) score = 0
    else if (stem(bare) === stem(wanted)) score = 1
    else {
      const distance = levenshtein(candidate, lower)
      if (distance <= Math.max(1, Math.floor(lower.length / 4))) score = 1 + distance
    }
    if (score !== undefined) scored.push({name, score})
  }
  scored.sort((a, b) => a.score - b.score || (a.name < b.name ? -1 : 1))
  return scored.slice(0, MAX_HINTS).map((s) => s.name)
}

async function findSameName(root: string, name: string, signal?: AbortSignal): Promise<string[]> {
  const found: string[] = []
  const lower = name.toLowerCase()
  const wantedStem = stem(name)
  for await (const entry of walkProject(root, {maxEntries: MAX_WALK, signal})) {
    const base = path.posix.basename(entry.rel)
    if (base.toLowerCase() === lower || (wantedStem.length > 2 && stem(base) === wantedStem)) {
      found.push(entry.rel + (entry.type === 'dir' ? '/' : ''))
      if (found.length >= MAX_HINTS) break
    }
  }
  return found
}
