import type {ProjectAccess} from '../access/project-access.js'
import type {FaithhConfig} from '../config/schema.js'
import {withRetrievedCode} from '../rag/ask-context.js'
import {createRetriever, type Retriever} from '../rag/retriever.js'
import {walkProject} from '../tools/project-files.js'

/** What the planner knows about the project before it plans. */
export interface TaskContext {
  /** Text put in front of the task in the planning request. */
  text: string
  /** Files whose code was retrieved from the index (empty without an index). */
  retrieved: string[]
  /** For the user: how the context was made, or why part of it is missing. */
  notes: string[]
}

/** The seam between planning and retrieval: the planner asks for context and does not care where it comes from. */
export interface TaskContextSource {
  gather(task: string, options: {budgetTokens: number; signal: AbortSignal}): Promise<TaskContext>
}

/** A list of this many paths costs about 1–2k tokens and is enough for a model to name the files a step touches. */
const MAX_LISTED_FILES = 150

/**
 * The project's file list (what git would show, without forbidden files), plus the indexed code that
 * best matches the task when `faithh index` has been run. Retrieval never fails planning: a missing
 * or broken index only costs the context, with a note saying so.
 */
export function projectContextSource(
  access: ProjectAccess,
  config: Pick<FaithhConfig, 'host' | 'rag' | 'keepAlive'>,
  openRetriever: () => Retriever = () => createRetriever({root: access.root, host: config.host, rag: config.rag, keepAlive: config.keepAlive}),
): TaskContextSource {
  return {
    async gather(task, {budgetTokens, signal}) {
      const notes: string[] = []
      const files = await listFiles(access, signal)
      const listing = `Project files${files.length >= MAX_LISTED_FILES ? ` (first ${MAX_LISTED_FILES})` : ''}:\n${files.join('\n')}`

      const retriever = openRetriever()
      try {
        if (!(await retriever.hasIndex())) return {text: listing, retrieved: [], notes}
        const context = await withRetrievedCode(task, retriever, {budgetTokens, signal})
        notes.push(...context.notes)
        if (context.hits.length === 0) return {text: listing, retrieved: [], notes}
        const code = context.hits.map((hit) => `--- ${hit.path}:${hit.startLine}-${hit.endLine}\n${hit.text}`).join('\n')
        return {
          text: `${listing}\n\nCode from the project index that may be relevant (path:start-end):\n${code}`,
          retrieved: [...new Set(context.hits.map((hit) => hit.path))],
          notes,
        }
      } catch (error) {
        if (signal.aborted) throw error
        notes.push(`planning without code from the index: ${(error as Error).message}`)
        return {text: listing, retrieved: [], notes}
      } finally {
        await retriever.close().catch(() => {})
      }
    },
  }
}

async function listFiles(access: ProjectAccess, signal: AbortSignal): Promise<string[]> {
  const files: string[] = []
  for await (const entry of walkProject(access.root, {
    filesOnly: true,
    order: 'breadth',
    maxEntries: MAX_LISTED_FILES,
    signal,
    hidden: (rel) => !access.isVisible(rel),
  })) {
    files.push(entry.rel)
  }

  return files
}
