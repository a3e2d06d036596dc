/** What one line typed in `faithh chat` means. */
export type ChatInput =
  | {kind: 'message'; text: string}
  | {kind: 'command'; name: SlashCommandName; arg: string}
  | {kind: 'unknown'; name: string}
  | {kind: 'empty'}

export type SlashCommandName = 'help' | 'model' | 'clear' | 'undo' | 'diff' | 'exit'

export const SLASH_COMMANDS: {name: SlashCommandName; usage: string; summary: string}[] = [
  {name: 'help', usage: '/help', summary: 'show these commands'},
  {name: 'model', usage: '/model [name]', summary: 'show the model and the ones Ollama has, or switch to another'},
  {name: 'clear', usage: '/clear', summary: 'start a new conversation (this one stays saved)'},
  {name: 'undo', usage: '/undo', summary: 'revert the files changed by the last turn that changed any'},
  {name: 'diff', usage: '/diff', summary: 'show everything this session changed'},
  {name: 'exit', usage: '/exit', summary: 'leave (Ctrl-D too); the session is saved for --resume'},
]

const ALIASES: Record<string, SlashCommandName> = {quit: 'exit', q: 'exit', '?': 'help', reset: 'clear'}

/**
 * A line starting with one `/` followed by a word is a command; `//` escapes a message that starts
 * with a slash, and a path such as `/etc/hosts is…` is a message, not an unknown command.
 */
export function parseChatInput(line: string): ChatInput {
  const text = line.trim()
  if (!text) return {kind: 'empty'}
  if (text.startsWith('//')) return {kind: 'message', text: text.slice(1)}
  const match = /^\/([a-z?]+)(?:\s+([\s\S]*))?$/i.exec(text)
  if (!match) return {kind: 'message', text}
  const word = match[1]!.toLowerCase()
  const name = SLASH_COMMANDS.find((command) => command.name === word)?.name ?? ALIASES[word]
  if (!name) return {kind: 'unknown', name: word}
  return {kind: 'command', name, arg: (match[2] ?? '').trim()}
}
