import {readFile} from 'node:fs/promises'
import path from 'node:path'

import {unifiedDiff} from '../changes/diff.js'
import {listRuns, runDir, type RunManifest} from '../changes/journal.js'
import {undoRun, type UndoReport} from '../changes/undo.js'

/**
 * Each chat turn that writes is one run in the undo journal, named `chat <session> #<turn>`, so the
 * session can find its own runs among everyone else's (and `faithh undo` shows where a run came from).
 */
export function journalCommand(sessionId: string, turn: number): string {
  return `chat ${sessionId} #${turn}`
}

async function sessionRuns(root: string, sessionId: string): Promise<RunManifest[]> {
  const prefix = `chat ${sessionId} #`
  return (await listRuns(root)).filter((run) => run.command.startsWith(prefix))
}

/** Reverts the session's newest turn that changed files (see undoRun: later edits by others are kept). */
export async function undoLastTurn(root: string, sessionId: string): Promise<UndoReport> {
  const [run] = await sessionRuns(root, sessionId)
  return run ? undoRun(root, run) : {files: []}
}

/**
 * One diff of everything the session changed: each file's state before the session first touched
 * it against the disk now. Limited to the runs the journal still keeps (the last 20).
 */
export async function sessionDiff(root: string, sessionId: string): Promise<{diff: string; files: string[]}> {
  const originals = new Map<string, Buffer | undefined>()
  for (const run of (await sessionRuns(root, sessionId)).reverse()) {
    for (const entry of run.entries) {
      if (originals.has(entry.rel)) continue
      originals.set(entry.rel, entry.existed && entry.backup ? await readFile(path.join(runDir(root, run.id), entry.backup)) : undefined)
    }
  }

  const parts: string[] = []
  const files: string[] = []
  for (const [rel, before] of originals) {
    const now = await readFile(path.join(root, ...rel.split('/'))).catch(() => undefined)
    const diff = await unifiedDiff(rel, before?.toString('utf8'), now?.toString('utf8'))
    if (!diff) continue
    parts.push(diff)
    files.push(rel)
  }

  return {diff: parts.join(''), files}
}
