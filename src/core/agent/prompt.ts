import type {Tool} from '../tools/tool.js'
import {argumentSignature} from '../tools/tool.js'
import {type Dialect, DIALECTS} from '../llm/dialects.js'

export interface SystemPromptOptions {
  /** One line on what this run is for, e.g. "Answer questions about the code; you cannot change files." */
  task: string
  /** The project's instruction block (loadProjectInstructions), loaded once per run; '' or absent when there is none. */
  instructions?: string
}

/**
 * Kept short on purpose: small local models have small windows and slow prompt processing, and every
 * token here is paid on every request. Nothing in it changes between turns, so Ollama's prompt cache
 * stays valid for the whole session.
 */
export function systemPrompt({task, instructions}: SystemPromptOptions): string {
  const base = [
    "You are faithh, a coding agent working inside the user's project on their machine.",
    task,
    'Look at the code with the tools before answering; never guess file contents.',
    'Paths are relative to the project root. Call one tool at a time when each depends on the last.',
    'When you have the answer, reply in plain text (Markdown allowed) without calling a tool. Be concise.',
  ].join('\n')
  return withInstructions(base, instructions)
}

/** A system prompt with the project's instructions after it; the very same string without any. */
export function withInstructions(prompt: string, instructions: string | undefined): string {
  return instructions ? `${prompt}\n\n${instructions}` : prompt
}

/**
 * For models without native tool support: the tools described in the prompt, and the one format we
 * ask for, in the model's own dialect (see llm/dialects.ts). The parser accepts every format, because
 * models don't always listen.
 */
export function textToolPrompt(tools: Tool[], dialect: Dialect = DIALECTS.hermes): string {
  const lines = tools.map((tool) => `- ${tool.name}(${argumentSignature(tool)}): ${tool.description}`)
  return ['', 'To call a tool, reply with only this, and nothing else:', dialect.example, 'The result comes back in the next message. Tools:', ...lines].join(
    '\n',
  )
}
