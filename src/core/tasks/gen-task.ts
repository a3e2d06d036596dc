import path from 'node:path'

import type {ProjectAccess} from '../access/project-access.js'
import type {AgentEvent, AgentOutcome} from '../agent/events.js'
import {runAgent} from '../agent/loop.js'
import {systemPrompt} from '../agent/prompt.js'
import type {Workspace} from '../agent/workspace.js'
import {loadTemplate, templateSources, type Template} from '../templates/catalog.js'
import {resolveOutDir, stageTemplate, type GeneratedFile} from '../templates/generate.js'
import {resolveVariables, type AskVariable} from '../templates/variables.js'
import {EDIT_TOOLS} from './edit-task.js'

/** Inline the generated files in the first message when they fit in this share of the window. */
const INLINE_SHARE = 0.35

export interface GenRequest {
  template: string
  /** From `--var key=value`. */
  vars: Record<string, string>
  /** `--out`, relative to `cwd`. */
  out?: string
  cwd: string
  /** Template folders of plugins, in plugin order. */
  pluginTemplates?: {name: string; dir: string}[]
  /** Asks for missing required variables; absent without a terminal (then they are an error). */
  ask?: AskVariable
}

export interface StagedGeneration {
  template: Template
  files: GeneratedFile[]
}

/**
 * `faithh gen`: find the template, settle its variables, render every file into `access` (staged).
 * Nothing is written: the caller shows the diff, asks, and applies.
 */
export async function stageGeneration(workspace: Workspace, access: ProjectAccess, request: GenRequest): Promise<StagedGeneration> {
  const outDir = resolveOutDir(workspace.root, request.cwd, request.out)
  const template = await loadTemplate(request.template, templateSources(workspace.root, request.pluginTemplates))
  const view = await resolveVariables(template.manifest, request.vars, request.ask)
  const files = await stageTemplate(template, view, {access, outDir})
  return {template, files}
}

/**
 * `faithh gen --ai`: the model completes the rendered files as instructed, with the edit tools (and
 * the plugins' tools), on the staged copies, before the one final review.
 */
export async function* completeGeneration(
  workspace: Workspace,
  access: ProjectAccess,
  {staged, instruction, signal}: {staged: StagedGeneration; instruction: string; signal: AbortSignal},
): AsyncGenerator<AgentEvent, AgentOutcome> {
  const contents = await Promise.all(
    staged.files.map(async (file) => {
      const target = await access.resolveWrite(file.rel)
      return {rel: file.rel, text: target.ok ? ((await access.readBytes(target.abs))?.toString('utf8') ?? '') : ''}
    }),
  )
  const size = contents.reduce((sum, file) => sum + file.text.length, 0)
  // An unreachable model is reported by the agent run below, as an event like any other failure.
  const numCtx = await workspace.llm.contextWindow().catch(() => 0)
  const inline = size / 3.5 < numCtx * INLINE_SHARE
  const listing = inline
    ? contents.map((file) => `File ${file.rel}:\n\`\`\`\n${file.text}\n\`\`\``).join('\n\n')
    : `Files (read them with read_file): ${contents.map((file) => file.rel).join(', ')}`
  const {name, manifest} = staged.template
  const instructions = await workspace.loadInstructions(access, {folders: staged.files.map((file) => path.posix.dirname(file.rel)), text: instruction})

  return yield* runAgent({
    llm: workspace.llm,
    tools: [...EDIT_TOOLS, ...workspace.pluginTools],
    system: systemPrompt({
      task:
        'Complete code that was just generated from a template, as the user instructs. Change the generated files with edit_file ' +
        '(old_text copied exactly) or rewrite one with write_file; keep the names and exports the template set up; touch other files ' +
        'only if the instruction requires it. When done, reply with a one-sentence summary.',
      instructions: instructions.text,
    }),
    instructions: instructions.report,
    messages: [{role: 'user', content: `Instruction: ${instruction}\n\nGenerated from template ${name} (${manifest.summary}):\n\n${listing}`}],
    toolContext: workspace.toolContext(signal, access),
    maxSteps: workspace.config.maxSteps,
  })
}
