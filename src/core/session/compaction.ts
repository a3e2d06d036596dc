import type {ChatMessage, LlmClient} from '../llm/client.js'

/** Characters per token when Ollama has not counted yet: code and English sit around 3–4. */
export const CHARS_PER_TOKEN = 3.5
/** Compact when the next prompt would fill this share of the window: the rest is for tool output and the reply. */
export const COMPACT_AT = 0.75
/** …and compact until it fills no more than this. */
export const COMPACT_TO = 0.5
/** What a dropped tool output keeps: enough for the model to remember what it looked at. */
const KEPT_TOOL_CHARS = 200

export const SUMMARY_PREFIX = 'Summary of our conversation so far (earlier turns were compacted to save context):'

export function estimateTokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN)
}

export function messageChars(messages: ChatMessage[]): number {
  let chars = 0
  for (const message of messages) {
    chars += message.content.length + 16
    if (message.tool_calls) chars += JSON.stringify(message.tool_calls).length
  }

  return chars
}

/** A user turn starts at every user message that is not a tool result (text tool mode sends those as user messages). */
export function turnStarts(messages: ChatMessage[]): number[] {
  const starts: number[] = []
  messages.forEach((message, index) => {
    if (message.role === 'user' && !message.content.startsWith('<tool_response')) starts.push(index)
  })
  return starts
}

function isToolOutput(message: ChatMessage): boolean {
  return message.role === 'tool' || (message.role === 'user' && message.content.startsWith('<tool_response'))
}

/**
 * First, cheapest step: tool outputs of all turns before `keepFrom` are cut to their first lines.
 * What a file said three turns ago is rarely needed again, and the model can read it anew.
 * Returns new messages (the input is not changed) and how many turns lost output.
 */
export function shortenToolOutputs(messages: ChatMessage[], keepFrom: number): {messages: ChatMessage[]; turns: number} {
  const starts = turnStarts(messages)
  const touched = new Set<number>()
  const shortened = messages.map((message, index) => {
    if (index >= keepFrom || !isToolOutput(message) || message.content.length <= KEPT_TOOL_CHARS * 2) return message
    touched.add(starts.filter((start) => start <= index).length)
    const kept = message.content.slice(0, KEPT_TOOL_CHARS)
    return {
      ...message,
      content: `${kept}\n… [${message.content.length - kept.length} characters of this tool output dropped to save context; run the tool again if you need them]`,
    }
  })
  return {messages: shortened, turns: touched.size}
}

export interface CompactionInput {
  messages: ChatMessage[]
  /** Context window (num_ctx) in tokens. */
  numCtx: number
  /** Estimated tokens of everything that is not a message: the system prompt and tool definitions. */
  overheadTokens: number
  /** Estimated tokens of the next prompt as it stands (Ollama's own count when known). */
  promptTokens: number
  llm: LlmClient
  signal?: AbortSignal
}

export interface Compaction {
  messages: ChatMessage[]
  /** Earlier turns that were shortened or summarised. */
  turns: number
  summarised: boolean
  tokensBefore: number
  tokensAfter: number
}

/**
 * Keeps a long conversation inside the window: tool outputs of older turns are dropped first; if
 * that is not enough, the older turns are summarised by the model (one request without tools) into
 * one message. The last turn stays as it was when it fits, so "now fix that" still has its referent.
 * Returns undefined when nothing needs to be done.
 */
export async function compactConversation(input: CompactionInput): Promise<Compaction | undefined> {
  const {messages, numCtx, overheadTokens, promptTokens, llm, signal} = input
  if (promptTokens < numCtx * COMPACT_AT) return undefined
  const starts = turnStarts(messages)
  if (starts.length === 0) return undefined
  const estimate = (list: ChatMessage[]) => overheadTokens + estimateTokens(messageChars(list))
  const target = numCtx * COMPACT_TO

  const lastStart = starts[starts.length - 1]!
  const shortened = shortenToolOutputs(messages, lastStart)
  if (estimate(shortened.messages) <= target && shortened.turns > 0) {
    return {messages: shortened.messages, turns: shortened.turns, summarised: false, tokensBefore: promptTokens, tokensAfter: estimate(shortened.messages)}
  }

  // Summarise everything before the last turn; the last turn too when even it alone is too big.
  const lastTurnFits = starts.length > 1 && overheadTokens + estimateTokens(messageChars(messages.slice(lastStart))) <= target * 0.8
  const cut = lastTurnFits ? lastStart : messages.length
  const older = shortenToolOutputs(messages.slice(0, cut), cut).messages
  const turns = turnStarts(older).length
  if (turns === 0) return undefined

  const summary = await summarise(older, llm, numCtx, signal)
  const compacted: ChatMessage[] = [{role: 'user', content: `${SUMMARY_PREFIX}\n${summary}`}, ...messages.slice(cut)]
  return {messages: compacted, turns, summarised: true, tokensBefore: promptTokens, tokensAfter: estimate(compacted)}
}

const SUMMARY_SYSTEM = [
  "You summarise a conversation between a user and a coding assistant working in the user's project, so the assistant can go on without it.",
  'Keep: what the user wants, decisions made, files and names that matter, what was changed or run and the outcome, open questions.',
  'Drop pleasantries and file contents that can be read again. Plain text, at most 200 words.',
].join('\n')

/** One request without tools; the transcript is cut to fit the window the summary request itself gets. */
async function summarise(messages: ChatMessage[], llm: LlmClient, numCtx: number, signal?: AbortSignal): Promise<string> {
  const budget = Math.floor(numCtx * 0.6 * CHARS_PER_TOKEN)
  let transcript = messages.map(transcriptLine).join('\n')
  if (transcript.length > budget) transcript = '[…the start is cut…]\n' + transcript.slice(-budget)
  let text = ''
  for await (const chunk of llm.chat({
    messages: [
      {role: 'system', content: SUMMARY_SYSTEM},
      {role: 'user', content: `Summarise this conversation:\n\n${transcript}`},
    ],
    signal,
  })) {
    if (chunk.type === 'text') text += chunk.delta
  }

  return text.trim() || '(the summary came back empty)'
}

function transcriptLine(message: ChatMessage): string {
  if (message.role === 'tool') return `Tool result (${message.tool_name ?? 'tool'}): ${message.content}`
  if (message.role === 'assistant' && message.tool_calls?.length) {
    const calls = message.tool_calls.map((call) => `${call.function.name}(${JSON.stringify(call.function.arguments)})`).join(', ')
    return `Assistant: ${message.content ? message.content + ' ' : ''}[called ${calls}]`
  }

  return `${message.role === 'user' ? 'User' : 'Assistant'}: ${message.content}`
}
