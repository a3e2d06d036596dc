import type {ChatSession} from '../core/session/chat-session.js'
import type {SessionEvent} from '../core/session/events.js'
import {isFaithhError} from '../core/errors.js'
import {parseChatInput, type SlashCommandName} from '../core/session/slash-commands.js'
import {chatView, type ChatView} from '../render/chat-view.js'
import {terminalRenderer} from '../render/terminal.js'
import {ExitCode, exitCodeForError} from './exit-codes.js'
import {pipedLineReader, terminalLineReader} from './line-reader.js'
import {driveEvents} from './run-agent.js'

export interface ChatTerminalOptions {
  /** A person at a terminal: a prompt, line editing, confirmations asked inline. Otherwise turns come from stdin, one per line. */
  interactive: boolean
  json: boolean
  useRag: boolean
}

/**
 * The terminal front end of a chat session: read a line, run a slash command or a turn, repeat until
 * EOF or /exit. Everything else (history, compaction, saving, undo) is the session's.
 * Returns the exit code: 0, or for a script, the first failed turn's.
 */
export async function runChatTerminal(session: ChatSession, {interactive, json, useRag}: ChatTerminalOptions): Promise<number> {
  const view = chatView()
  const reader = interactive ? terminalLineReader(process.stdin, process.stderr) : pipedLineReader(process.stdin)
  const render = terminalRenderer()
  const sink = (event: SessionEvent) => {
    if (json) process.stdout.write(JSON.stringify(event) + '\n')
    else if (event.type === 'compacted' || event.type === 'notice') view.notice(event.message)
    else if (event.type !== 'session') render(event)
  }

  if (interactive) view.banner(session.llm.model, session.id, session.state.turns)
  let exitCode: number = ExitCode.ok
  try {
    for (;;) {
      const line = await reader.read(view.prompt)
      if (line === undefined) {
        if (interactive) process.stderr.write('\n')
        break
      }

      const input = parseChatInput(line)
      if (input.kind === 'empty') continue
      if (input.kind === 'unknown') {
        view.error(`unknown command /${input.name} — /help lists the commands (start a message with // to send it as text)`)
        continue
      }

      if (input.kind === 'command') {
        if (input.name === 'exit') break
        await slashCommand(session, input.name, input.arg, view)
        continue
      }

      const {value: outcome, error, needsApproval} = await driveEvents((signal) => session.turn(input.text, {signal, useRag}), sink)
      const code = outcome.status === 'done' ? ExitCode.ok : exitCodeForError(error?.code ?? outcome.status)
      const failed = code !== ExitCode.ok ? code : needsApproval ? ExitCode.refused : ExitCode.ok
      if (!interactive && exitCode === ExitCode.ok) exitCode = failed
      if (interactive) process.stderr.write('\n')
    }
  } finally {
    reader.close()
    await session.close()
  }

  if (session.state.turns > 0) view.saved(session.id)
  return exitCode
}

async function slashCommand(session: ChatSession, name: Exclude<SlashCommandName, 'exit'>, arg: string, view: ChatView): Promise<void> {
  try {
    switch (name) {
      case 'help':
        return view.help()
      case 'model':
        if (!arg) return view.models(await session.llm.listModels(), session.llm.model)
        await session.useModel(arg)
        return view.say(`model: ${arg}`)
      case 'clear':
        session.clear()
        return view.say(`new conversation (session ${session.id}); the previous one is saved`)
      case 'undo':
        return view.undo(await session.undo())
      case 'diff':
        return view.diff((await session.diff()).diff)
    }
  } catch (error) {
    // A slash command that fails (Ollama down, nothing to undo) says so; the session goes on.
    if (!isFaithhError(error)) throw error
    view.error(error.message)
  }
}
