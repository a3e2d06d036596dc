import type {ProjectAccess} from '../access/project-access.js'
import {CHARS_PER_TOKEN} from '../session/compaction.js'
import {fitInstructions, type FittedInstructions, type InstructionText, type InstructionsReport} from './fit.js'
import {instructionDirs} from './locations.js'
import {readInstructionFile} from './read.js'

export interface InstructionsOptions {
  /** Root-relative folders the run is about (the current folder, the files it names); the root always counts. */
  folders: string[]
  /** Names looked for in each folder, the first found wins (config `instructions.fileNames`). */
  fileNames: string[]
  /** config `instructions.maxTokens`; 0 turns instructions off. */
  maxTokens: number
}

/** UTF-8 needs at most 4 bytes a character: reading more than this could never fit the budget. */
const BYTES_PER_CHAR = 4

/**
 * The project's instruction files (AGENTS.md; FAITHH.md wins in its folder) for this run's system
 * prompt: one per folder from the root down to each folder involved, read through the permission
 * gate, fitted to the token budget. Call once per run and keep the result: the prompt must stay
 * byte-identical from turn to turn for Ollama's prompt cache, even if a file changes meanwhile.
 */
export async function loadProjectInstructions(access: ProjectAccess, {folders, fileNames, maxTokens}: InstructionsOptions): Promise<FittedInstructions> {
  if (maxTokens <= 0) return fitInstructions([], 0)
  const maxBytes = Math.ceil(maxTokens * CHARS_PER_TOKEN) * BYTES_PER_CHAR + BYTES_PER_CHAR
  const texts: InstructionText[] = []
  const skipped: InstructionsReport['skipped'] = []
  for (const dir of instructionDirs(folders)) {
    for (const name of fileNames) {
      const rel = dir === '' ? name : `${dir}/${name}`
      const read = await readInstructionFile(access, rel, maxBytes)
      if (!read) continue
      if (read.ok) {
        texts.push({rel, dir, text: read.text, cut: read.cut})
        break
      }

      // An unusable file does not silence the next name in its folder.
      skipped.push({path: rel, reason: read.reason})
    }
  }

  return fitInstructions(texts, maxTokens, skipped)
}
