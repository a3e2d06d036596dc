import {withInstructions} from '../agent/prompt.js'
import type {ChatMessage, LlmClient} from '../llm/client.js'
import {parsePlanReply} from './parse-plan.js'
import type {PlanEvent} from './events.js'
import {PlanError} from './plan-error.js'
import {MAX_PLAN_STEPS, planFormat, type PlanStep} from './schema.js'

/** Requests for a plan, the first included: a model that fails three times in a row will not do better on the fourth. */
export const PLAN_ATTEMPTS = 3

const PLANNER_PROMPT = [
  "You are faithh's planner. Split the user's coding task into a short, ordered list of small steps.",
  'Each step is one focused change a developer could review as one diff, and leaves the project working.',
  'Reply with only JSON: {"steps": [{"title": "...", "change": "...", "files": ["path", ...]}]}',
  '- title: a few words, imperative ("Add parseDate helper").',
  '- change: what to change, concretely (functions, behaviour), in one to three sentences.',
  '- files: the project files the step will create or edit, relative to the project root.',
  `Use 1 to ${MAX_PLAN_STEPS} steps; fewer is better. No steps that only read code, run tests or review.`,
].join('\n')

export interface PlannerOptions {
  llm: LlmClient
  task: string
  /** The project context (file list, retrieved code) put before the task. */
  context: string
  /** The project's instruction block (AGENTS.md), added to the planner's system prompt. */
  instructions?: string
  signal: AbortSignal
  attempts?: number
}

/**
 * Asks the model for a plan as structured output (Ollama `format` with the plan's JSON schema). A
 * reply that is not a valid plan goes back with the validation error, a bounded number of times;
 * then planning fails with the last reason.
 */
export async function* makePlan({llm, task, context, instructions, signal, attempts = PLAN_ATTEMPTS}: PlannerOptions): AsyncGenerator<PlanEvent, PlanStep[]> {
  const format = planFormat()
  const messages: ChatMessage[] = [
    {role: 'system', content: withInstructions(PLANNER_PROMPT, instructions)},
    {role: 'user', content: `${context}\n\nTask: ${task}`},
  ]
  let lastError = ''
  for (let attempt = 1; attempt <= attempts; attempt++) {
    yield {type: 'planning', attempt}
    let reply = ''
    for await (const chunk of llm.chat({messages, format, signal})) {
      if (chunk.type === 'text') reply += chunk.delta
      else if (chunk.type === 'done')
        yield {type: 'usage', step: attempt, promptTokens: chunk.promptTokens, completionTokens: chunk.completionTokens, numCtx: await llm.contextWindow()}
    }

    const parsed = parsePlanReply(reply)
    if (parsed.ok) return parsed.steps
    lastError = parsed.error
    yield {type: 'plan_invalid', attempt, error: parsed.error}
    messages.push(
      {role: 'assistant', content: reply},
      {role: 'user', content: `That is not a valid plan: ${parsed.error}. Reply again with only the JSON object {"steps": [...]}.`},
    )
  }

  throw new PlanError('invalid_plan', `the model did not produce a valid plan in ${attempts} attempts (last problem: ${lastError})`, {
    hint: 'try again, rephrase the task, or use a larger model',
  })
}
