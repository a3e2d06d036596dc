import {createHash} from 'node:crypto'
import {mkdir, readdir, readFile, rm, stat} from 'node:fs/promises'
import path from 'node:path'

import {atomicWrite} from '../tools/atomic-write.js'

/** Where runs are journaled, relative to the project root. Tools may never write here. */
export const UNDO_DIR = path.join('.faithh', 'undo')
/** Older runs are dropped: undo is for "that last run went wrong", not version control. */
const KEEP_RUNS = 20

export interface JournalEntry {
  /** Root-relative path, forward slashes. */
  rel: string
  existed: boolean
  /** Mode of the original file, to restore exactly. */
  mode?: number
  /** File name of the original bytes inside the run's folder. */
  backup?: string
  /** sha256 of what faithh last wrote: undo refuses to clobber later changes made by someone else. */
  afterHash: string
}

export interface RunManifest {
  id: string
  command: string
  startedAt: string
  entries: JournalEntry[]
  /** Set when the run is one applied step of `faithh plan`, so undo can work step by step or per plan. */
  plan?: PlanRunTag
}

export interface PlanRunTag {
  id: string
  /** 0-based index of the step in the plan. */
  step: number
}

/**
 * Records, per run, each file's state before faithh first touched it, so `faithh undo` can put
 * back exactly what was there (new files removed, changed files restored byte for byte with their mode).
 */
export class ChangeJournal {
  private manifest?: RunManifest
  private readonly dir: string

  constructor(
    root: string,
    private readonly command: string,
    private readonly plan?: PlanRunTag,
  ) {
    this.dir = path.join(root, UNDO_DIR)
  }

  /** Call before writing `abs`: saves the original the first time this run touches the file. */
  async before(abs: string, rel: string): Promise<void> {
    const manifest = await this.open()
    if (manifest.entries.some((entry) => entry.rel === rel)) return
    const info = await stat(abs).catch(() => undefined)
    const entry: JournalEntry = {rel, existed: Boolean(info), afterHash: ''}
    if (info) {
      entry.mode = info.mode & 0o7777
      entry.backup = `${manifest.entries.length}.orig`
      await atomicWrite(path.join(this.dir, manifest.id, entry.backup), await readFile(abs))
    }

    manifest.entries.push(entry)
    await this.save()
  }

  /** Call after writing: remembers what we wrote. */
  async after(rel: string, written: Uint8Array): Promise<void> {
    const entry = this.manifest?.entries.find((e) => e.rel === rel)
    if (!entry) return
    entry.afterHash = sha256(written)
    await this.save()
  }

  get runId(): string | undefined {
    return this.manifest?.id
  }

  private async open(): Promise<RunManifest> {
    if (this.manifest) return this.manifest
    const id = uniqueRunId(`${new Date().toISOString().replaceAll(/[:.]/g, '-')}-${process.pid}`)
    this.manifest = {id, command: this.command, startedAt: new Date().toISOString(), entries: [], ...(this.plan ? {plan: this.plan} : {})}
    await mkdir(path.join(this.dir, id), {recursive: true})
    await this.save()
    await pruneRuns(this.dir)
    return this.manifest
  }

  private async save(): Promise<void> {
    if (!this.manifest) return
    await atomicWrite(path.join(this.dir, this.manifest.id, 'manifest.json'), JSON.stringify(this.manifest, null, 2))
  }
}

/** `faithh plan` opens one run per step: two in the same millisecond must not share a folder. */
let lastBase = ''
let sameMillisecond = 0
function uniqueRunId(base: string): string {
  sameMillisecond = base === lastBase ? sameMillisecond + 1 : 0
  lastBase = base
  return sameMillisecond === 0 ? base : `${base}-${sameMillisecond}`
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Run folders sort by time because their names start with an ISO timestamp. */
export async function listRuns(root: string): Promise<RunManifest[]> {
  const dir = path.join(root, UNDO_DIR)
  const names = await readdir(dir).catch(() => [] as string[])
  const runs: RunManifest[] = []
  for (const name of names.sort().reverse()) {
    const text = await readFile(path.join(dir, name, 'manifest.json'), 'utf8').catch(() => undefined)
    if (!text) continue
    try {
      runs.push(JSON.parse(text) as RunManifest)
    } catch {
      // A run interrupted while saving its first manifest has nothing to undo.
    }
  }

  return runs
}

export function runDir(root: string, id: string): string {
  return path.join(root, UNDO_DIR, id)
}

async function pruneRuns(dir: string): Promise<void> {
  const names = (await readdir(dir).catch(() => [] as string[])).sort()
  for (const name of names.slice(0, Math.max(0, names.length - KEEP_RUNS))) {
    await rm(path.join(dir, name), {recursive: true, force: true})
  }
}
