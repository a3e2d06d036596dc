import {mkdir, readFile, rm} from 'node:fs/promises'
import path from 'node:path'

import {atomicWrite} from '../tools/atomic-write.js'
import {listRuns, runDir, sha256, type RunManifest} from './journal.js'

export interface UndoFileResult {
  rel: string
  action: 'restored' | 'removed' | 'skipped'
  /** Why a file was skipped. */
  reason?: string
}

export interface UndoReport {
  run?: Pick<RunManifest, 'id' | 'command' | 'startedAt'>
  files: UndoFileResult[]
}

/**
 * Reverts the newest journaled run: changed files get their original bytes and mode back, files the
 * run created are removed. A file changed again since (by the user or a later tool) is skipped unless
 * `force`, so undo never destroys work it did not make.
 */
export async function undoLastRun(root: string, {force = false}: {force?: boolean} = {}): Promise<UndoReport> {
  const [run] = await listRuns(root)
  if (!run) return {files: []}
  return undoRun(root, run, {force})
}

/** Reverts one journaled run (see undoLastRun) and drops it from the journal. */
export async function undoRun(root: string, run: RunManifest, {force = false}: {force?: boolean} = {}): Promise<UndoReport> {
  const files: UndoFileResult[] = []
  for (const entry of [...run.entries].reverse()) {
    const abs = path.join(root, ...entry.rel.split('/'))
    const current = await readFile(abs).catch(() => undefined)
    if (!force && entry.afterHash && (current === undefined || sha256(current) !== entry.afterHash)) {
      files.push({
        rel: entry.rel,
        action: 'skipped',
        reason: current === undefined ? 'deleted since faithh changed it' : 'changed since faithh wrote it (use --force to restore anyway)',
      })
      continue
    }

    if (entry.existed && entry.backup) {
      const original = await readFile(path.join(runDir(root, run.id), entry.backup))
      await mkdir(path.dirname(abs), {recursive: true})
      await atomicWrite(abs, original, entry.mode)
      files.push({rel: entry.rel, action: 'restored'})
    } else {
      await rm(abs, {force: true})
      files.push({rel: entry.rel, action: 'removed'})
    }
  }

  await rm(runDir(root, run.id), {recursive: true, force: true})
  return {run: {id: run.id, command: run.command, startedAt: run.startedAt}, files}
}
