import type {InstructionsReport} from '../instructions/fit.js'
import type {ChatMessage, LlmClient} from '../llm/client.js'
import {LlmError} from '../llm/errors.js'
import {ToolNames} from '../llm/text-calls/names.js'
import {type ArgumentTypes, type ParsedToolCall, parseToolCalls} from '../llm/tool-call-parser.js'
import {fail as failed, runTool, toJsonSchema, toOllamaTool, unknownTool, type Tool, type ToolContext, type ToolResult} from '../tools/tool.js'
import {chooseDialect, type Dialect} from '../llm/dialects.js'
import type {AgentErrorCode, AgentEvent, AgentOutcome, ToolMode} from './events.js'
import {textToolPrompt} from './prompt.js'
import {RepeatGuard} from './repeat-guard.js'
import {TextGate} from './text-gate.js'

export interface AgentRunOptions {
  llm: LlmClient
  tools: Tool[]
  /** Base system prompt (see systemPrompt()); tool descriptions are added here when needed. */
  system: string
  /** What project instructions `system` carries, reported in the `start` event. */
  instructions?: InstructionsReport
  /**
   * The conversation so far, ending with the user's message, without the system message.
   * The loop appends to it and never rewrites earlier entries, so Ollama can reuse its prompt cache.
   */
  messages: ChatMessage[]
  toolContext: ToolContext
  maxSteps: number
}

/**
 * The agent: ask the model, run the tools it calls in order, feed back the results, repeat until it
 * answers without a tool call or maxSteps requests have been made. Yields events; returns the outcome.
 */
export async function* runAgent(options: AgentRunOptions): AsyncGenerator<AgentEvent, AgentOutcome> {
  const {llm, tools, messages, toolContext, maxSteps} = options
  const {signal} = toolContext
  const byName = new Map(tools.map((tool) => [tool.name, tool]))
  const toolNames = [...byName.keys()]
  const names = new ToolNames(toolNames)
  const argumentTypes = argumentTypesOf(tools)
  const repeats = new RepeatGuard()

  // Probed while the model is looked up: whether this run's commands are sandboxed goes in `start`.
  const sandboxReport = toolContext.access.sandbox.report()
  let mode: ToolMode
  let numCtx: number
  let dialect: Dialect
  try {
    const info = await llm.modelInfo()
    numCtx = await llm.contextWindow()
    mode = info.supportsTools || tools.length === 0 ? 'native' : 'text'
    dialect = chooseDialect(info)
  } catch (error) {
    return yield* fail(error, 0)
  }

  const specs = tools.map(toOllamaTool)
  const history: ChatMessage[] = [{role: 'system', content: buildSystem(options.system, tools, mode, dialect)}, ...messages]
  const instructions = options.instructions && hasAny(options.instructions) ? {instructions: options.instructions} : {}
  const sandbox = await sandboxReport
  const start = (): AgentEvent => ({
    type: 'start',
    model: llm.model,
    numCtx,
    toolMode: mode,
    ...(mode === 'text' ? {dialect: dialect.id} : {}),
    tools: toolNames,
    ...instructions,
    sandbox,
  })
  yield start()

  for (let step = 1; step <= maxSteps; step++) {
    const gate = new TextGate(toolNames)
    const nativeCalls: ParsedToolCall[] = []
    try {
      for await (const chunk of llm.chat({messages: history, tools: mode === 'native' ? specs : undefined, signal})) {
        if (chunk.type === 'text') {
          const visible = gate.push(chunk.delta)
          if (visible) yield {type: 'text', delta: visible}
        } else if (chunk.type === 'tool_calls') {
          nativeCalls.push(...chunk.calls.map((call) => withResolvedName(call, names)))
        } else {
          yield {type: 'usage', step, promptTokens: chunk.promptTokens, completionTokens: chunk.completionTokens, numCtx}
        }
      }
    } catch (error) {
      // Some templates reject `tools` although /api/show did not say so: describe them in text instead.
      if (error instanceof LlmError && error.code === 'no_tools' && mode === 'native' && step === 1) {
        mode = 'text'
        history[0] = {role: 'system', content: buildSystem(options.system, tools, mode, dialect)}
        yield start() // again, now saying text mode and the dialect
        step--
        continue
      }

      return yield* fail(error, step)
    }

    // Native calls win; otherwise look for calls the model wrote as text (qwen2.5-coder often does).
    const parsed = parseToolCalls(gate.text, toolNames, {argumentTypes})
    const calls = nativeCalls.length > 0 ? nativeCalls : parsed.calls
    const answer = nativeCalls.length > 0 ? gate.text.trim() : parsed.text
    const rest = unshown(answer, gate.shownText)
    if (rest) yield {type: 'text', delta: rest}

    if (calls.length === 0) {
      messages.push({role: 'assistant', content: gate.text})
      yield {type: 'final', text: answer, steps: step}
      return {status: 'done', text: answer, steps: step}
    }

    // Record the call in the model's own native form when it has one: it reinforces the format.
    const assistant: ChatMessage =
      mode === 'native'
        ? {role: 'assistant', content: answer, tool_calls: calls.map((c) => ({function: {name: c.name, arguments: c.arguments}}))}
        : {role: 'assistant', content: gate.text}
    messages.push(assistant)
    history.push(assistant)

    for (const [index, call] of calls.entries()) {
      const verdict = repeats.check(call.name, call.arguments, step)
      if (verdict.action === 'stop') {
        yield {type: 'error', code: 'repeated_call', message: verdict.message}
        return {status: 'max_steps', text: '', steps: step}
      }

      const id = `call_${step}_${index + 1}`
      yield {type: 'tool_call', id, name: call.name, arguments: call.arguments, ...(call.repairs ? {repairs: call.repairs} : {})}
      const started = performance.now()
      const tool = byName.get(call.name)
      const result = verdict.action === 'refuse' ? failed(verdict.output, 'failed') : await execute(tool, call, toolContext, toolNames)
      repeats.record(verdict.action === 'run' && result.ok && tool?.readOnly === false)
      const {ok, kind, summary, output} = result
      const durationMs = performance.now() - started
      yield {type: 'tool_result', id, name: call.name, ok, ...(kind ? {kind} : {}), ...(summary ? {summary} : {}), output, durationMs}

      const reply: ChatMessage =
        mode === 'native'
          ? {role: 'tool', tool_name: call.name, content: result.output}
          : {role: 'user', content: `<tool_response name="${call.name}">\n${result.output}\n</tool_response>`}
      messages.push(reply)
      history.push(reply)
      if (signal.aborted) return yield* fail(new LlmError('aborted', 'cancelled'), step)
    }
  }

  const message = `stopped after ${maxSteps} model requests without a final answer — raise --max-steps (or maxSteps in .faithh/config.json), or ask a narrower question`
  yield {type: 'error', code: 'max_steps', message}
  return {status: 'max_steps', text: '', steps: maxSteps}
}

async function execute(tool: Tool | undefined, call: ParsedToolCall, context: ToolContext, toolNames: string[]): Promise<ToolResult> {
  return tool ? runTool(tool, call.arguments, context) : unknownTool(call.name, toolNames)
}

function hasAny(report: InstructionsReport): boolean {
  return report.files.length + report.omitted.length + report.skipped.length > 0
}

function buildSystem(base: string, tools: Tool[], mode: ToolMode, dialect: Dialect): string {
  return mode === 'text' && tools.length > 0 ? base + '\n' + textToolPrompt(tools, dialect) : base
}

/** A native call to a trivial variant of an offered name (`functions.read_file`) runs the offered tool. */
function withResolvedName(call: ParsedToolCall, names: ToolNames): ParsedToolCall {
  const resolved = names.resolve(call.name)
  return resolved?.repair ? {...call, name: resolved.name, repairs: [resolved.repair]} : call
}

/** Each tool's argument types, for call formats that write values as raw text. */
function argumentTypesOf(tools: Tool[]): ArgumentTypes {
  return Object.fromEntries(
    tools.map((tool) => [
      tool.name,
      Object.fromEntries(Object.entries(toJsonSchema(tool).properties ?? {}).map(([key, value]) => [key, String((value as {type?: unknown}).type ?? '')])),
    ]),
  )
}

/** The part of the final text not yet streamed (the gate only ever shows a prefix of the reply). */
function unshown(answer: string, shown: string): string {
  const prefix = shown.trimStart()
  return answer.startsWith(prefix) ? answer.slice(prefix.length) : ''
}

async function* fail(error: unknown, steps: number): AsyncGenerator<AgentEvent, AgentOutcome> {
  const llmError = error instanceof LlmError ? error : new LlmError('ollama_error', (error as Error)?.message ?? String(error))
  const code: AgentErrorCode = llmError.code
  yield {type: 'error', code, message: llmError.message}
  return {status: code === 'aborted' ? 'aborted' : 'error', text: '', steps}
}
