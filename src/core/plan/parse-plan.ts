import type {z} from 'zod'

import {planDraftSchema, type PlanStep} from './schema.js'

export type ParsedPlan = {ok: true; steps: PlanStep[]} | {ok: false; error: string}

/**
 * Reads a plan out of a model reply. Even with Ollama's `format`, local models (and older Ollama
 * versions that ignore it) wrap the JSON in ``` fences or prose, use a bare list, nest it under
 * "plan", or name the fields their own way. All of that is accepted; what is still wrong comes back
 * as an error written for the model, which is asked again with it.
 */
export function parsePlanReply(reply: string): ParsedPlan {
  const json = extractJson(reply)
  if (json === undefined) return {ok: false, error: 'the reply contained no JSON object'}
  const parsed = planDraftSchema.safeParse(normalizePlan(json))
  if (!parsed.success) return {ok: false, error: describeIssues(parsed.error)}
  return {ok: true, steps: parsed.data.steps.map((step) => ({...step, files: [...new Set(step.files.map(cleanPath))]}))}
}

/** The first JSON value in the text: the whole text, a fenced block, or the first balanced {…} / […] that parses. */
export function extractJson(text: string): unknown {
  const whole = tryParse(text.trim())
  if (whole !== undefined) return whole
  for (const match of text.matchAll(/```[\w-]*[ \t]*\r?\n([\s\S]*?)```/g)) {
    const fenced = tryParse(match[1]!.trim())
    if (fenced !== undefined) return fenced
  }

  // Prefer an object over a list: prose like "see [1]" must not hide the plan after it.
  for (const open of ['{', '[']) {
    for (let start = text.indexOf(open); start !== -1; start = text.indexOf(open, start + 1)) {
      const end = matchingClose(text, start)
      if (end === -1) continue
      const value = tryParse(text.slice(start, end + 1))
      if (value !== undefined && typeof value === 'object' && value !== null) return value
    }
  }

  return undefined
}

/** Maps the shapes models actually produce onto {steps: [{title, change, files}]}. */
function normalizePlan(json: unknown): unknown {
  let value = json
  if (isRecord(value) && 'plan' in value && !('steps' in value)) value = value.plan
  if (Array.isArray(value)) value = {steps: value}
  if (!isRecord(value)) return value
  let steps = value.steps ?? value.tasks
  if (steps === undefined) {
    // {"Add helper": {...}} or one unknown key holding the list.
    const lists = Object.values(value).filter(Array.isArray)
    if (lists.length === 1) steps = lists[0]
  }

  return {steps: Array.isArray(steps) ? steps.map(normalizeStep) : steps}
}

function normalizeStep(step: unknown): unknown {
  if (typeof step === 'string') return {title: firstWords(step), change: step, files: []}
  if (!isRecord(step)) return step
  const title = pick(step, ['title', 'name', 'summary', 'step'])
  const change = pick(step, ['change', 'description', 'details', 'what', 'instructions', 'changes'])
  const files = pick(step, ['files', 'paths', 'expected_files', 'files_to_touch', 'filesToTouch', 'file'])
  return {
    title: typeof title === 'string' ? title : typeof change === 'string' ? firstWords(change) : title,
    change: change ?? title,
    files: files === undefined || files === null ? [] : typeof files === 'string' ? files.split(/[,\s]+/).filter(Boolean) : files,
  }
}

function pick(record: Record<string, unknown>, keys: string[]): unknown {
  for (const key of keys) if (record[key] !== undefined) return record[key]
  return undefined
}

function firstWords(text: string): string {
  const words = text.trim().split(/\s+/)
  return words.length <= 8 ? text.trim() : `${words.slice(0, 8).join(' ')}…`
}

function cleanPath(file: string): string {
  return file.replaceAll('\\', '/').replace(/^(\.\/)+/, '')
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .slice(0, 5)
    .join('; ')
}

function tryParse(text: string): unknown {
  if (!text || !'{['.includes(text[0]!)) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Index of the bracket closing the one at `start`, skipping brackets inside JSON strings; -1 if none. */
function matchingClose(text: string, start: number): number {
  const stack: string[] = []
  let inString = false
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!
    if (inString) {
      if (ch === '\\') i++
      else if (ch === '"') inString = false
    } else if (ch === '"') {
      inString = true
    } else if (ch === '{' || ch === '[') {
      stack.push(ch === '{' ? '}' : ']')
    } else if (ch === '}' || ch === ']') {
      if (stack.pop() !== ch) return -1
      if (stack.length === 0) return i
    }
  }

  return -1
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
