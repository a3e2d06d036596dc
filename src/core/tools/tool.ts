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

/**
 * What kind of failure a tool call was, so front ends and exit codes need not read the prose:
 * - invalid_arguments: the model's call was wrong (bad arguments, an unknown tool); it can retry;
 * - not_found: the file or folder it named does not exist;
 * - denied: the policy, or the person asked, said no;
 * - needs_approval: it needed a confirmation nobody could give (no terminal, no --yes): exit 6;
 * - timeout: it ran out of time;
 * - failed: anything else.
 */
export type ToolFailureKind = 'invalid_arguments' | 'not_found' | 'denied' | 'needs_approval' | 'timeout' | 'failed'

/** A tool's answer: always text the model can act on, flagged (and labelled) when it reports a failure. */
export interface ToolResult {
  ok: boolean
  output: string
  /** Set on failures: by the tool when it knows better, otherwise by runTool. */
  kind?: ToolFailureKind
  /** One line for people ("read src/a.ts, lines 1-40 of 120"); front ends show the output's first line without it. */
  summary?: string
}

export interface Tool<S extends z.ZodObject = z.ZodObject> {
  name: string
  /** Written for the model and paid for in every request: keep it to a sentence or two. */
  description: string
  schema: S
  /**
   * The arguments' JSON schema as the model sees it, for a tool that brings its own (an MCP server's);
   * `schema` then only checks that the arguments are an object, and the server validates the rest.
   */
  parameters?: JsonSchemaObject
  /** True when the tool never changes files or runs anything: `ask` offers only these. */
  readOnly: boolean
  execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolResult>
}

/** Identity helper that keeps `args` typed from the schema. */
export function defineTool<S extends z.ZodObject>(tool: Tool<S>): Tool<S> {
  return tool
}

export function ok(output: string, summary?: string): ToolResult {
  return summary ? {ok: true, output, summary} : {ok: true, output}
}

/** Without a kind, runTool labels the failure: `denied`/`needs_approval` when the permission gate refused something, else `failed`. */
export function fail(output: string, kind?: ToolFailureKind): ToolResult {
  return kind ? {ok: false, output, kind} : {ok: false, output}
}

/**
 * Runs a tool on arguments straight from the model. Never throws: bad arguments come back as the
 * validation message and a crashing tool as an error result, so the model can correct itself.
 */
export async function runTool(tool: Tool, rawArgs: unknown, ctx: ToolContext): Promise<ToolResult> {
  const parsed = tool.schema.safeParse(rawArgs ?? {})
  if (!parsed.success) {
    return fail(`${tool.name}: invalid arguments — ${describeIssues(parsed.error)}. Expected: ${schemaSummary(tool)}`, 'invalid_arguments')
  }

  const refusalsBefore = ctx.access?.refusals.length ?? 0
  let result: ToolResult
  try {
    result = await tool.execute(parsed.data, ctx)
  } catch (error) {
    if (ctx.signal.aborted) return fail(`${tool.name}: cancelled`, 'failed')
    result = fail(`${tool.name}: ${error instanceof Error ? error.message : String(error)}`)
  }

  const output = capOutput(result.output, ctx.limits.outputChars)
  const summary = result.summary ? {summary: oneLine(result.summary)} : {}
  if (result.ok) return {ok: true, output, ...summary}
  // Every tool, plugins' included, gets denials labelled alike: the gate knows why it said no.
  const refusal = (ctx.access?.refusals.length ?? 0) > refusalsBefore ? ctx.access.refusals.at(-1) : undefined
  return {ok: false, output, kind: result.kind ?? refusal?.kind ?? 'failed', ...summary}
}

/** What the loop answers when the model calls a tool that is not offered. */
export function unknownTool(name: string, available: string[]): ToolResult {
  return fail(`unknown tool "${name}"; available tools: ${available.join(', ')}`, 'invalid_arguments')
}

function oneLine(text: string): string {
  const line = text.replaceAll(/\s*\n\s*/g, ' ').trim()
  return line.length > 200 ? `${line.slice(0, 199)}…` : line
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `\`${issue.path.join('.')}\`: ${issue.message}` : issue.message)).join('; ')
}

function schemaSummary(tool: Tool): string {
  return `{${argumentSignature(tool)}}`
}

/** `path: string, start_line?: integer`: a tool's arguments in one line, for prompts and error messages. */
export function argumentSignature(tool: Tool): string {
  const schema = toJsonSchema(tool)
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {})
    .map(([key, value]) => `${key}${required.has(key) ? '' : '?'}: ${(value as {type?: string}).type ?? 'any'}`)
    .join(', ')
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
  if (tool.parameters) return tool.parameters
  let schema = jsonSchemas.get(tool.schema)
  if (!schema) {
    schema = compactSchema(z.toJSONSchema(tool.schema, {io: 'input'})) as unknown as JsonSchemaObject
    jsonSchemas.set(tool.schema, schema)
  }

  return schema
}

/**
 * One conversion per schema: the prompt, the request's tool specs, argument checks and error messages
 * all ask for it, on every run. Treat the result as read-only.
 */
const jsonSchemas = new WeakMap<z.ZodType, JsonSchemaObject>()

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
