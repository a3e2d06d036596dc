import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Confirmer, ConfirmRequest} from '../../../src/core/access/confirm.js'
import {LlmClient, type ChatMessage} from '../../../src/core/llm/client.js'
import {compactConversation, shortenToolOutputs, SUMMARY_PREFIX, turnStarts} from '../../../src/core/session/compaction.js'
import {rememberingConfirmer} from '../../../src/core/session/remembering-confirmer.js'
import {parseChatInput} from '../../../src/core/session/slash-commands.js'
import {startFakeOllama, type FakeOllama} from '../../support/fake-ollama.js'

describe('parseChatInput', () => {
  it.each([
    ['plain text is a message', 'what does app.ts do?', {kind: 'message', text: 'what does app.ts do?'}],
    ['surrounding space is trimmed', '  hi  ', {kind: 'message', text: 'hi'}],
    ['blank is empty', '   ', {kind: 'empty'}],
    ['/help', '/help', {kind: 'command', name: 'help', arg: ''}],
    ['commands are case-insensitive', '/HELP', {kind: 'command', name: 'help', arg: ''}],
    ['/model with a name', '/model qwen2.5-coder:14b', {kind: 'command', name: 'model', arg: 'qwen2.5-coder:14b'}],
    ['/model without one', '/model', {kind: 'command', name: 'model', arg: ''}],
    ['/quit is /exit', '/quit', {kind: 'command', name: 'exit', arg: ''}],
    ['/undo, /diff, /clear', '/undo', {kind: 'command', name: 'undo', arg: ''}],
    ['an unknown command is reported, not sent', '/commit now', {kind: 'unknown', name: 'commit'}],
    ['a path is a message', '/etc/hosts has a typo', {kind: 'message', text: '/etc/hosts has a typo'}],
    ['// escapes a leading slash', '//help is a word I like', {kind: 'message', text: '/help is a word I like'}],
    ['a lone slash is a message', '/', {kind: 'message', text: '/'}],
  ] as const)('%s', (_name, line, expected) => {
    expect(parseChatInput(line)).toEqual(expected)
  })
})

const long = (n: number) => 'x'.repeat(n)
const conversation: ChatMessage[] = [
  {role: 'user', content: 'read a.ts'},
  {role: 'assistant', content: '', tool_calls: [{function: {name: 'read_file', arguments: {path: 'a.ts'}}}]},
  {role: 'tool', tool_name: 'read_file', content: long(5000)},
  {role: 'assistant', content: 'a.ts is long.'},
  {role: 'user', content: 'and b.ts?'},
  {role: 'user', content: `<tool_response name="read_file">\n${long(3000)}\n</tool_response>`},
  {role: 'assistant', content: 'b.ts too.'},
]

describe('compaction, step by step', () => {
  it('finds turns at user messages, not at tool results sent as user messages', () => {
    expect(turnStarts(conversation)).toEqual([0, 4])
  })

  it('shortens tool output before the kept turn only, in both tool modes', () => {
    const {messages, turns} = shortenToolOutputs(conversation, 4)
    expect(turns).toBe(1)
    expect(messages[2]!.content).toMatch(/^x{200}\n… \[4800 characters of this tool output dropped/)
    expect(messages[5]).toBe(conversation[5])
    expect(conversation[2]!.content).toHaveLength(5000) // the input is not changed

    const all = shortenToolOutputs(conversation, conversation.length)
    expect(all.turns).toBe(2)
    expect(all.messages[5]!.content.length).toBeLessThan(500)
  })
})

describe('compactConversation through the model', () => {
  let ollama: FakeOllama
  let llm: LlmClient
  beforeAll(async () => {
    ollama = await startFakeOllama({chat: [{content: 'They read a.ts and b.ts; both are long.'}]})
    llm = new LlmClient({host: ollama.url, model: 'qwen2.5-coder:7b', numCtx: 4096})
  })
  afterAll(() => ollama.close())

  it('does nothing below three quarters of the window', async () => {
    expect(await compactConversation({messages: conversation, numCtx: 4096, overheadTokens: 500, promptTokens: 3000, llm})).toBeUndefined()
    expect(ollama.chats()).toHaveLength(0)
  })

  it('drops old tool output when that is enough, without asking the model', async () => {
    const result = await compactConversation({messages: conversation, numCtx: 8192, overheadTokens: 500, promptTokens: 7000, llm})
    expect(result).toMatchObject({summarised: false, turns: 1})
    expect(ollama.chats()).toHaveLength(0)
  })

  it('summarises older turns in one request without tools when dropping output is not enough', async () => {
    const result = await compactConversation({messages: conversation, numCtx: 2048, overheadTokens: 500, promptTokens: 3000, llm})
    expect(result?.summarised).toBe(true)
    expect(result?.messages[0]).toEqual({role: 'user', content: `${SUMMARY_PREFIX}\nThey read a.ts and b.ts; both are long.`})
    const [request] = ollama.chats()
    expect(request!.tools).toBeUndefined()
    expect(request!.options?.num_ctx).toBe(4096) // the client's window, as for every request
    expect(request!.messages[1]!.content).toContain('User: read a.ts')
  })
})

describe('rememberingConfirmer', () => {
  it('replays "yes for the rest" across turns for that tool or that exact command only', async () => {
    const asked: ConfirmRequest[] = []
    const inner: Confirmer = {interactive: true, confirm: async (request) => (asked.push(request), {approved: true, remember: true})}
    const confirmer = rememberingConfirmer(() => inner)
    const write = (tool: string): ConfirmRequest => ({kind: 'write', tool, rel: 'a', diff: '', created: false})
    const command = (line: string): ConfirmRequest => ({kind: 'command', tool: 'run_command', command: line, cwd: '/', reason: 'r'})

    for (const request of [write('edit_file'), write('edit_file'), write('write_file'), command('npm i'), command('npm i'), command('npm ci')])
      await confirmer.confirm(request)
    expect(asked.map((r) => (r.kind === 'write' ? r.tool : r.kind === 'command' ? r.command : ''))).toEqual(['edit_file', 'write_file', 'npm i', 'npm ci'])
    confirmer.forget()
    await confirmer.confirm(write('edit_file'))
    expect(asked).toHaveLength(5)
  })
})
