import {z} from 'zod'

import type {ProjectAccess} from '../access/project-access.js'
import type {Retriever} from '../rag/retriever.js'

/** What every tool gets from the loop. Tools never read globals or process.cwd(). */
export interface ToolContext {
  /** Real (symlink-resolved) absolute path of the project root. */
  root: string
  /** Aborted on Ctrl-C or when the run is cancelled. */
  signal: AbortSignal
  /** Limits shared by all tools; see config `tools`. */
  limits: ToolLimits
  /** The project's codebase index (`faithh index`), for search_codebase; absent outside a workspace. */
  retriever?: Retriever
  /** The permission gate: every read, write and command goes through it. */
  access: ProjectAccess
}

export interface ToolLimits {
  /** Max characters of tool output handed back to the model. */
  outputChars: number
  /** Max bytes read_file loads before it truncates. */
  readBytes: number
  /** run_command timeout. */
  commandTimeoutMs: number
}

export const defaultToolLimits: ToolLimits = {
  outputChars: 8000,
  readBytes: 256 * 1024,
  commandTimeoutMs: 120_000,
}

/** A tool's answer: always text the model can act on, flagged when it reports a failure. */
export interface ToolResult {
  ok: boolean
  output: string
}

export interface Tool<S extends z.ZodObject = z.ZodObject> {
  name: string
  /** Written for the model and paid for in every request: keep it to a sentence or two. */
  description: string
  schema: S
  /** True when the tool never changes files or runs anything: `ask` offers only these. */
  readOnly: boolean
  execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolResult>
}

/** Identity helper that keeps `args` typed from the schema. */
export function defineTool<S extends z.ZodObject>(tool: Tool<S>): Tool<S> {
  return tool
}

export function ok(output: string): ToolResult {
  return {ok: true, output}
}

export function fail(output: string): ToolResult {
  return {ok: false, output}
}

/**
 * Runs a tool on arguments straight from the model. Never throws: bad arguments come back as the
 * validation message and a crashing tool as an error result, so the model can correct itself.
 */
export async function runTool(tool: Tool, rawArgs: unknown, ctx: ToolContext): Promise<ToolResult> {
  const parsed = tool.schema.safeParse(rawArgs ?? {})
  if (!parsed.success) {
    return fail(`${tool.name}: invalid arguments — ${describeIssues(parsed.error)}. Expected: ${schemaSummary(tool)}`)
  }

  let result: ToolResult
  try {
    result = await tool.execute(parsed.data, ctx)
  } catch (error) {
    if (ctx.signal.aborted) return fail(`${tool.name}: cancelled`)
    result = fail(`${tool.name}: ${error instanceof Error ? error.message : String(error)}`)
  }

  return {ok: result.ok, output: capOutput(result.output, ctx.limits.outputChars)}
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `\`${issue.path.join('.')}\`: ${issue.message}` : issue.message))
    .join('; ')
}

function schemaSummary(tool: Tool): string {
  const schema = toJsonSchema(tool)
  const required = new Set(schema.required ?? [])
  const fields = Object.entries(schema.properties ?? {}).map(
    ([key, value]) => `${key}${required.has(key) ? '' : '?'}: ${(value as {type?: string}).type ?? 'any'}`,
  )
  return `{${fields.join(', ')}}`
}

/**
 * Keeps head and tail of long output: the start says what ran, the end usually says what failed.
 * The note tells the model how much was cut so it can ask for a narrower range.
 */
export function capOutput(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text
  const head = Math.floor(maxChars * 0.6)
  const tail = maxChars - head
  const omitted = text.length - head - tail
  return `${text.slice(0, head)}\n… [${omitted} characters omitted — narrow the request to see them] …\n${text.slice(-tail)}`
}

export interface JsonSchemaObject {
  type: 'object'
  properties?: Record<string, unknown>
  required?: string[]
}

/** The tool's arguments as compact JSON schema: no `$schema`, no noise that costs tokens. */
export function toJsonSchema(tool: Tool): JsonSchemaObject {
  const schema = z.toJSONSchema(tool.schema, {io: 'input'}) as Record<string, unknown>
  return compactSchema(schema) as unknown as JsonSchemaObject
}

function compactSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compactSchema)
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === '$schema' || key === 'additionalProperties') continue
    // zod emits the safe-integer bounds for every .int(); they tell the model nothing.
    if ((key === 'maximum' || key === 'minimum') && Math.abs(value as number) >= Number.MAX_SAFE_INTEGER) continue
    out[key] = compactSchema(value)
  }
  return out
}

/** The shape Ollama's `tools` field expects. */
export interface OllamaToolSpec {
  type: 'function'
  function: {name: string; description: string; parameters: JsonSchemaObject}
}

export function toOllamaTool(tool: Tool): OllamaToolSpec {
  return {type: 'function', function: {name: tool.name, description: tool.description, parameters: toJsonSchema(tool)}}
}
