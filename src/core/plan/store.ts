import {mkdir, readdir, readFile} from 'node:fs/promises'
import path from 'node:path'

import {atomicWrite} from '../tools/atomic-write.js'
import {PlanError} from './plan-error.js'
import {planStateSchema, type PlanOptions, type PlanState, type PlanStep} from './schema.js'
import {timestampId} from '../timestamp-id.js'

/** Where plans and their progress live, relative to the project root (faithh's state: tools never write here). */
export const PLANS_DIR = path.join('.faithh', 'plans')

const ID_PATTERN = /^[\w-]{1,64}$/

/**
 * Plans on disk, one JSON file each, written atomically after every transition: whatever kills the
 * process (Ctrl-C, a crash, a closed terminal), the file says what was done and what was not.
 */
export class PlanStore {
  readonly dir: string

  constructor(readonly root: string) {
    this.dir = path.join(root, PLANS_DIR)
  }

  fileOf(id: string): string {
    return path.join(this.dir, `${id}.json`)
  }

  /** Project-relative path of a plan's file, for messages. */
  relFileOf(id: string): string {
    return path.join(PLANS_DIR, `${id}.json`).replaceAll(path.sep, '/')
  }

  create(task: string, steps: PlanStep[], options: PlanOptions): PlanState {
    const now = new Date()
    return {
      version: 1,
      id: timestampId(now),
      task,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      status: 'reviewing',
      pid: process.pid,
      options,
      steps: steps.map((step) => ({...step, status: 'pending', changed: [], redos: 0, fixAttempts: 0})),
    }
  }

  async save(state: PlanState): Promise<void> {
    state.updatedAt = new Date().toISOString()
    await mkdir(this.dir, {recursive: true})
    await atomicWrite(this.fileOf(state.id), JSON.stringify(state, null, 2) + '\n')
  }

  async load(id: string): Promise<PlanState> {
    if (!ID_PATTERN.test(id)) throw new PlanError('not_found', `"${id}" is not a plan id`, {hint: 'see `faithh plan --list`'})
    const text = await readFile(this.fileOf(id), 'utf8').catch(() => undefined)
    if (text === undefined) throw new PlanError('not_found', `no plan ${id} in ${PLANS_DIR}`, {hint: 'see `faithh plan --list`'})
    return parsePlanFile(text, this.relFileOf(id))
  }

  /** Newest first; unreadable files are reported, not fatal. */
  async list(): Promise<{plans: PlanState[]; unreadable: string[]}> {
    const names = (await readdir(this.dir).catch(() => [] as string[]))
      .filter((name) => name.endsWith('.json'))
      .sort()
      .reverse()
    const plans: PlanState[] = []
    const unreadable: string[] = []
    for (const name of names) {
      try {
        plans.push(parsePlanFile(await readFile(path.join(this.dir, name), 'utf8'), name))
      } catch {
        unreadable.push(path.join(PLANS_DIR, name))
      }
    }

    return {plans, unreadable}
  }
}

function parsePlanFile(text: string, where: string): PlanState {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new PlanError('not_found', `${where} is not valid JSON (${(error as Error).message})`)
  }

  const parsed = planStateSchema.safeParse(json)
  if (!parsed.success) throw new PlanError('not_found', `${where} is not a faithh plan: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`)
  return parsed.data
}

/** Is the process that last worked on the plan still alive? */
export function isPlanProcessAlive(state: PlanState): boolean {
  if (state.pid === undefined || state.pid === process.pid) return false
  try {
    process.kill(state.pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** What `--list` and `--resume` show: a "running" plan whose process is gone was interrupted. */
export function effectiveStatus(state: PlanState): PlanState['status'] {
  return state.status === 'running' && !isPlanProcessAlive(state) ? 'interrupted' : state.status
}
