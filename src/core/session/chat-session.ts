import type {Confirmer} from '../access/confirm.js'
import type {AgentOutcome} from '../agent/events.js'
import {runAgent} from '../agent/loop.js'
import {systemPrompt} from '../agent/prompt.js'
import type {Workspace} from '../agent/workspace.js'
import type {FittedInstructions} from '../instructions/fit.js'
import {LlmClient} from '../llm/client.js'
import {prepareQuestion} from '../rag/ask-context.js'
import {createRetriever, type Retriever} from '../rag/retriever.js'
import {builtinTools} from '../tools/index.js'
import {searchCodebaseTool} from '../tools/search-codebase.js'
import {toOllamaTool, type Tool} from '../tools/tool.js'
import {compactConversation, estimateTokens, messageChars} from './compaction.js'
import type {SessionEvent} from './events.js'
import {rememberingConfirmer} from './remembering-confirmer.js'
import {journalCommand, sessionDiff, undoLastTurn} from './session-changes.js'
import type {SessionState, SessionStore} from './store.js'

export interface TurnOptions {
  signal: AbortSignal
  /** Off: plain chat, no tools sent (the web UI's "agent mode" switch). Default on. */
  agentMode?: boolean
  /** Put the best-matching indexed code (`faithh index`) in front of the message, and offer search_codebase. */
  useRag?: boolean
  /** Who answers this turn's confirmations (the web UI: the stream of this request). Default: the session's. */
  confirmer?: Confirmer
}

const AGENT_TASK =
  'You are in a conversation with the user about their project: answer questions about the code, and change files or run commands when they ask. ' +
  'Every change is shown to the user for approval.'

const PLAIN_SYSTEM = [
  'You are faithh, a coding assistant chatting with the user on their machine.',
  'Agent mode is off: you cannot see or change their files in this conversation, so answer from what they tell you and say when you would need to see code.',
  'Be concise; Markdown allowed.',
].join('\n')

/**
 * One conversation: its history, its model, its saved file. A turn is a plain agent run on the
 * history so far (the loop appends to it, so Ollama's prompt cache stays valid), with compaction
 * before it when the window fills up and a save after it, whatever happened.
 */
export class ChatSession {
  llm: LlmClient
  private current: Confirmer
  private readonly confirmer: ReturnType<typeof rememberingConfirmer>
  private retriever?: Retriever
  /** Read on the first agent turn and kept for the session: every turn's prompt must be the same for Ollama's cache. */
  private instructions?: Promise<FittedInstructions>
  private running = false

  constructor(
    readonly workspace: Workspace,
    readonly store: SessionStore,
    public state: SessionState,
    confirmer: Confirmer,
  ) {
    this.current = confirmer
    this.confirmer = rememberingConfirmer(() => this.current)
    this.llm = state.model === workspace.llm.model ? workspace.llm : new LlmClient({...workspace.llm.options, model: state.model})
  }

  get id(): string {
    return this.state.id
  }

  get busy(): boolean {
    return this.running
  }

  async *turn(text: string, options: TurnOptions): AsyncGenerator<SessionEvent, AgentOutcome> {
    if (this.running) throw new Error(`session ${this.id} is already answering`)
    this.running = true
    const {state, workspace} = this
    const {signal, agentMode = true} = options
    const saved = this.current
    if (options.confirmer) this.current = options.confirmer
    state.turns += 1
    let lastUsage: {promptTokens: number; completionTokens: number} | undefined
    try {
      yield {type: 'session', id: state.id, model: this.llm.model, turn: state.turns}
      const prepared = yield* this.withIndex(text, options)
      const offersIndex = agentMode && prepared.indexed
      const tools: Tool[] = agentMode ? [...builtinTools, ...(offersIndex ? [searchCodebaseTool] : []), ...workspace.pluginTools] : []
      const access = workspace.openAccess({confirmer: this.confirmer, command: journalCommand(state.id, state.turns)})
      const instructions = agentMode ? await (this.instructions ??= workspace.loadInstructions(access)) : undefined
      const system = agentMode ? systemPrompt({task: AGENT_TASK, instructions: instructions?.text}) : PLAIN_SYSTEM
      const notes = state.pendingNotes.map((note) => `[${note}]\n`).join('')
      const message = notes ? `${notes}\n${prepared.message}` : prepared.message
      state.pendingNotes = []

      yield* this.compactIfNeeded(system, tools, message, signal)
      if (!state.title) state.title = text.length > 80 ? `${text.slice(0, 79)}…` : text
      state.messages.push({role: 'user', content: message})

      const events = runAgent({
        llm: this.llm,
        tools,
        system,
        instructions: instructions?.report,
        messages: state.messages,
        toolContext: {...workspace.toolContext(signal, access), ...(offersIndex ? {retriever: this.retriever} : {})},
        maxSteps: workspace.config.maxSteps,
      })
      for (;;) {
        const next = await events.next()
        if (next.done) return next.value
        if (next.value.type === 'usage') lastUsage = next.value
        yield next.value
      }
    } finally {
      if (lastUsage) state.usage = {promptTokens: lastUsage.promptTokens, completionTokens: lastUsage.completionTokens, messageCount: state.messages.length}
      this.current = saved
      this.running = false
      await this.store.save(state)
    }
  }

  /**
   * An indexed project (`faithh index`) gets search_codebase in agent mode, and with useRag the
   * best-matching code in front of the message. Only reading the index manifest costs anything here.
   */
  private async *withIndex(text: string, {useRag, signal}: TurnOptions): AsyncGenerator<SessionEvent, {message: string; indexed: boolean}> {
    const {config, root} = this.workspace
    this.retriever ??= createRetriever({root, host: config.host, rag: config.rag, keepAlive: config.keepAlive})
    const indexed = await this.retriever.hasIndex().catch(() => false)
    if (!useRag) return {message: text, indexed}
    if (!indexed) {
      yield {type: 'notice', message: 'this project has no index yet: run `faithh index` to use retrieval'}
      return {message: text, indexed}
    }

    const prepared = await prepareQuestion(text, this.retriever, {
      retrieve: true,
      contextWindow: () => this.llm.contextWindow(),
      share: config.rag.contextShare,
      signal,
    })
    if (prepared.warning) yield {type: 'notice', message: prepared.warning}
    if (prepared.context)
      yield {type: 'notice', message: `added ${prepared.context.hits.length} chunk(s) of indexed code (~${prepared.context.tokens} tokens) to the message`}
    return {message: prepared.message, indexed}
  }

  /** The next prompt's size: Ollama's count of the last one plus what was added since, else an estimate. */
  private async *compactIfNeeded(system: string, tools: Tool[], message: string, signal: AbortSignal): AsyncGenerator<SessionEvent> {
    const {state} = this
    let numCtx: number
    try {
      numCtx = await this.llm.contextWindow()
    } catch {
      return // the agent run reports an unreachable Ollama or a missing model in its own words
    }

    const overheadTokens = estimateTokens(system.length + JSON.stringify(tools.map(toOllamaTool)).length)
    const usage = state.usage && state.usage.messageCount <= state.messages.length ? state.usage : undefined
    const added = estimateTokens(message.length + (usage ? messageChars(state.messages.slice(usage.messageCount)) : 0))
    const promptTokens = usage ? usage.promptTokens + usage.completionTokens + added : overheadTokens + estimateTokens(messageChars(state.messages)) + added
    let compaction: Awaited<ReturnType<typeof compactConversation>>
    try {
      compaction = await compactConversation({messages: state.messages, numCtx, overheadTokens, promptTokens, llm: this.llm, signal})
    } catch (error) {
      // The turn still goes out; if it is too long, Ollama's own truncation and the usage warning say so.
      if (!signal.aborted) yield {type: 'notice', message: `could not compact the conversation: ${(error as Error).message}`}
      return
    }

    if (!compaction) return
    state.messages = compaction.messages
    state.usage = undefined
    const what = compaction.summarised ? 'compacted' : 'shortened the tool output of'
    yield {
      type: 'compacted',
      turns: compaction.turns,
      summarised: compaction.summarised,
      numCtx,
      tokensBefore: compaction.tokensBefore,
      tokensAfter: compaction.tokensAfter,
      message: `${what} ${compaction.turns} earlier turn${compaction.turns === 1 ? '' : 's'} to stay within the ${numCtx}-token window`,
    }
  }

  /** Switches model for the next turns; fails (LlmError) when Ollama does not have it. */
  async useModel(name: string): Promise<void> {
    const llm = new LlmClient({...this.workspace.llm.options, model: name})
    await llm.modelInfo()
    this.llm = llm
    this.state.model = name
    await this.store.save(this.state)
  }

  /** A new, empty conversation; the old one stays on disk for --resume. */
  clear(): void {
    this.state = this.store.create(this.llm.model)
    this.confirmer.forget()
  }

  /** Reverts the files of the last turn that changed any, and tells the model with the next message. */
  async undo() {
    const report = await undoLastTurn(this.workspace.root, this.id)
    const reverted = report.files.filter((file) => file.action !== 'skipped').map((file) => file.rel)
    if (reverted.length > 0) {
      this.state.pendingNotes.push(`the user undid your changes to ${reverted.join(', ')} (/undo): those files are back as they were before that turn`)
      await this.store.save(this.state)
    }

    return report
  }

  diff() {
    return sessionDiff(this.workspace.root, this.id)
  }

  async close(): Promise<void> {
    await this.retriever?.close().catch(() => {})
    this.retriever = undefined
  }
}
