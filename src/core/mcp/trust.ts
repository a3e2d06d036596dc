import {createHash} from 'node:crypto'
import {mkdir, readFile} from 'node:fs/promises'
import path from 'node:path'

import {canonicalJson} from '../canonical-json.js'
import {userConfigFile} from '../config/load.js'
import {atomicWrite} from '../tools/atomic-write.js'

/**
 * The user's decisions about the MCP servers that projects declare in their own .faithh/config.json:
 * a cloned repository can ship one, and starting it runs the program it names. Kept outside every
 * project, beside the user's config (~/.config/faithh/trusted-mcp-servers.json), by the project's
 * real path and server name, with a hash of the entry as it was when decided: an entry that changes
 * since (another command, another sandbox setting) is undecided again.
 */
export type TrustDecision = 'trusted' | 'declined'

/** What is known of one project server: a decision about this very entry, or none (`changed`: one was made about an earlier entry). */
export type TrustState = {decision: TrustDecision; at: string} | {decision: undefined; changed: boolean}

interface StoredDecision {
  decision: TrustDecision
  /** sha256 of the entry, see entryHash. */
  entry: string
  at: string
}

interface TrustFile {
  projects: Record<string, Record<string, StoredDecision>>
}

export interface TrustStore {
  /** Where decisions are kept; undefined when the environment names no home (nothing is remembered). */
  readonly file?: string
  lookup(root: string, name: string, entry: unknown): Promise<TrustState>
  remember(root: string, name: string, entry: unknown, decision: TrustDecision): Promise<void>
  /** Drops the decisions about these servers of the project (all of them without names); returns the names dropped. */
  forget(root: string, names?: string[]): Promise<string[]>
}

function trustFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const config = userConfigFile(env)
  return config ? path.join(path.dirname(config), 'trusted-mcp-servers.json') : undefined
}

export function trustStore(env: NodeJS.ProcessEnv = process.env): TrustStore {
  const file = trustFile(env)
  const load = async (): Promise<TrustFile> => (file ? readTrustFile(file) : {projects: {}})
  const save = async (data: TrustFile): Promise<void> => {
    if (!file) return
    await mkdir(path.dirname(file), {recursive: true})
    await atomicWrite(file, JSON.stringify(data, null, 2) + '\n')
  }

  return {
    file,
    async lookup(root, name, entry) {
      const stored = (await load()).projects[root]?.[name]
      if (stored && stored.entry === entryHash(entry)) return {decision: stored.decision, at: stored.at}
      return {decision: undefined, changed: stored !== undefined}
    },
    async remember(root, name, entry, decision) {
      const data = await load()
      data.projects[root] = {...data.projects[root], [name]: {decision, entry: entryHash(entry), at: new Date().toISOString()}}
      await save(data)
    },
    async forget(root, names) {
      const data = await load()
      const project = data.projects[root] ?? {}
      const dropped = Object.keys(project).filter((name) => !names || names.includes(name))
      for (const name of dropped) delete project[name]
      if (Object.keys(project).length === 0) delete data.projects[root]
      else data.projects[root] = project
      if (dropped.length > 0) await save(data)
      return dropped
    },
  }
}

/**
 * The entry as the project's file has it (before defaults and ${VAR} expansion: what the repository
 * ships is what is trusted), hashed with its keys in a fixed order so reformatting does not count.
 */
function entryHash(entry: unknown): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex')
}

/** A missing or unreadable file is no decisions; it is rewritten whole on the next one. */
async function readTrustFile(file: string): Promise<TrustFile> {
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as Partial<TrustFile>
    return {projects: data.projects && typeof data.projects === 'object' ? data.projects : {}}
  } catch {
    return {projects: {}}
  }
}
