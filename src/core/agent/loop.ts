import type {InstructionsReport} from '../instructions/fit.js'
import type {ChatMessage, LlmClient, NativeToolCall} from '../llm/client.js'
import {LlmError} from '../llm/errors.js'
import {parseToolCalls} from '../llm/tool-call-parser.js'
import {runTool, toOllamaTool, unknownTool, type Tool, type ToolContext} from '../tools/tool.js'
import type {AgentErrorCode, AgentEvent, AgentOutcome, ToolMode} from './events.js'
import {textToolPrompt} from './prompt.js'
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

  // Probed while the model is looked up: whether this run's commands are sandboxed goes in `start`.
  const sandbox = toolContext.access.sandbox.report()
  let mode: ToolMode
  let numCtx: number
  try {
    const info = await llm.modelInfo()
    numCtx = await llm.contextWindow()
    mode = info.supportsTools || tools.length === 0 ? 'native' : 'text'
  } catch (error) {
    return yield* fail(error, 0)
  }

  const specs = tools.map(toOllamaTool)
  const history: ChatMessage[] = [{role: 'system', content: buildSystem(options.system, tools, mode)}, ...messages]
  const instructions = options.instructions && hasAny(options.instructions) ? {instructions: options.instructions} : {}
  yield {type: 'start', model: llm.model, numCtx, toolMode: mode, tools: toolNames, ...instructions, sandbox: await sandbox}

  for (let step = 1; step <= maxSteps; step++) {
    const gate = new TextGate()
    const nativeCalls: NativeToolCall[] = []
    try {
      for await (const chunk of llm.chat({messages: history, tools: mode === 'native' ? specs : undefined, signal})) {
        if (chunk.type === 'text') {
          const visible = gate.push(chunk.delta)
          if (visible) yield {type: 'text', delta: visible}
        } else if (chunk.type === 'tool_calls') {
          nativeCalls.push(...chunk.calls)
        } else {
          yield {type: 'usage', step, promptTokens: chunk.promptTokens, completionTokens: chunk.completionTokens, numCtx}
        }
      }
    } catch (error) {
      // Some templates reject `tools` although /api/show did not say so: describe them in text instead.
      if (error instanceof LlmError && error.code === 'no_tools' && mode === 'native' && step === 1) {
        mode = 'text'
        history[0] = {role: 'system', content: buildSystem(options.system, tools, mode)}
        step--
        continue
      }

      return yield* fail(error, step)
    }

    // Native calls win; otherwise look for calls the model wrote as text (qwen2.5-coder often does).
    const parsed = parseToolCalls(gate.text, toolNames)
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
      const id = `call_${step}_${index + 1}`
      yield {type: 'tool_call', id, name: call.name, arguments: call.arguments}
      const started = performance.now()
      const tool = byName.get(call.name)
      const result = tool ? await runTool(tool, call.arguments, toolContext) : unknownTool(call.name, toolNames)
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

function buildSystem(base: string, tools: Tool[], mode: ToolMode): string {
  return mode === 'text' && tools.length > 0 ? base + '\n' + textToolPrompt(tools) : base
}

function hasAny(report: InstructionsReport): boolean {
  return report.files.length + report.omitted.length + report.skipped.length > 0
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
