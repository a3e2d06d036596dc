import {stat} from 'node:fs/promises'
import path from 'node:path'

import type {ProjectAccess} from '../access/project-access.js'
import type {AgentEvent, AgentOutcome} from '../agent/events.js'
import {runAgent} from '../agent/loop.js'
import {systemPrompt} from '../agent/prompt.js'
import type {Workspace} from '../agent/workspace.js'
import {FaithhError} from '../errors.js'
import {unifiedDiff} from '../changes/diff.js'
import {editFileTool} from '../tools/edit-file.js'
import {listDirectoryTool} from '../tools/list-directory.js'
import {readFileTool} from '../tools/read-file.js'
import {searchCodeTool} from '../tools/search-code.js'
import {writeFileTool} from '../tools/write-file.js'

/** The file `faithh edit` was given cannot be edited (exit 2). */
export class EditTaskError extends FaithhError<'usage'> {
  override name = 'EditTaskError'

  constructor(message: string) {
    super('usage', message)
  }
}

export const EDIT_TOOLS = [readFileTool, searchCodeTool, listDirectoryTool, editFileTool, writeFileTool]

/** Inline the file in the first message when it fits in this share of the window: saves a read_file round-trip. */
const INLINE_SHARE = 0.35

export interface EditTask {
  rel: string
  events: AsyncGenerator<AgentEvent, AgentOutcome>
}

/**
 * `faithh edit`: the agent changes one file (others only if the instruction needs it) with all writes
 * staged in `access`, so the caller can show the whole diff and apply it, or not, at the end.
 */
export async function startEditTask(
  workspace: Workspace,
  access: ProjectAccess,
  {file, instruction, signal}: {file: string; instruction: string; signal: AbortSignal},
): Promise<EditTask> {
  const target = await access.resolveWrite(file)
  if (!target.ok) throw new EditTaskError(target.reason)
  const info = await stat(target.abs).catch(() => undefined)
  if (!info?.isFile()) throw new EditTaskError(`${file} does not exist or is not a file (faithh edit changes an existing file)`)

  const content = (await access.readBytes(target.abs))?.toString('utf8') ?? ''
  const instructions = await workspace.loadInstructions(access, {folders: [path.posix.dirname(target.rel)], text: instruction})
  const numCtx = await workspace.llm.contextWindow()
  const inline = content.length / 3.5 < numCtx * INLINE_SHARE
  const message = inline
    ? `Instruction: ${instruction}\n\nFile ${target.rel}, current content:\n\`\`\`\n${content}\n\`\`\``
    : `Instruction: ${instruction}\n\nFile: ${target.rel} (large: read the parts you need with read_file).`

  const events = runAgent({
    llm: workspace.llm,
    tools: [...EDIT_TOOLS, ...workspace.pluginTools],
    system: systemPrompt({
      task:
        'Change the file named by the user as instructed. Prefer edit_file with old_text copied exactly from the file; ' +
        'use write_file only to rewrite a whole file. Touch other files only if the instruction requires it. ' +
        'When done, reply with a one-sentence summary.',
      instructions: instructions.text,
    }),
    instructions: instructions.report,
    messages: [{role: 'user', content: message}],
    toolContext: workspace.toolContext(signal, access),
    maxSteps: workspace.config.maxSteps,
  })
  return {rel: target.rel, events}
}

/** The combined unified diff of everything the run staged. */
export async function stagedDiff(access: ProjectAccess): Promise<string> {
  const diffs = access.stagedChanges().map((change) => unifiedDiff(change.rel, change.before?.toString('utf8'), change.after.toString('utf8')))
  return (await Promise.all(diffs)).join('')
}
