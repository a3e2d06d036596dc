import {mkdir, readdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import type {ChatRequestBody, FakeReply} from '../support/fake-ollama.js'
import {requireChroma} from '../support/rag.js'

/** `faithh chat` without a terminal, in process: the conversation comes from a piped stdin, one turn per line. */
const {ollama, project, run} = await cliFixture({
  ollama: {
    models: [
      {name: 'qwen2.5-coder:7b', contextLength: 32_768},
      {name: 'tiny:1b', contextLength: 2048},
    ],
  },
  files: {'math.js': 'export const add = (a, b) => a + b\n'},
  fresh: true,
})

const chat = (input: string, args: string[] = []) => run(['chat', ...args], {input})
const allowWrites = async () => {
  await mkdir(path.join(project.root, '.faithh'), {recursive: true})
  await writeFile(path.join(project.root, '.faithh', 'config.json'), JSON.stringify({permissions: {writes: 'allow'}}))
}

const sessionFiles = async () =>
  (await readdir(path.join(project.root, '.faithh', 'sessions')).catch(() => [] as string[])).filter((name) => name.endsWith('.json'))
const contents = (request: ChatRequestBody) => request.messages.map((m) => `${m.role}: ${m.content}`)

describe('faithh chat from stdin', () => {
  it("keeps the conversation across turns: the second turn sends the first turn's messages", async () => {
    ollama.script([
      {tool_calls: [{name: 'read_file', arguments: {path: 'math.js'}}]},
      {content: 'math.js exports add, which adds two numbers.'},
      {content: 'add is used nowhere else yet.'},
    ])
    const result = await chat('what does math.js do?\nis add used anywhere?\n')

    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toContain('math.js exports add, which adds two numbers.')
    expect(result.stdout).toContain('add is used nowhere else yet.')
    expect(result.stderr).toContain('› read_file path=math.js')

    const [first, , second] = ollama.chats()
    expect(first!.tools!.map((t) => t.function.name)).toEqual(expect.arrayContaining(['read_file', 'edit_file', 'write_file', 'run_command']))
    const sent = contents(second!)
    expect(sent).toContain('user: what does math.js do?')
    expect(sent.some((m) => m.startsWith('tool: ') && m.includes('export const add'))).toBe(true)
    expect(sent).toContain('assistant: math.js exports add, which adds two numbers.')
    expect(sent.at(-1)).toBe('user: is add used anywhere?')

    const [file] = await sessionFiles()
    const saved = JSON.parse(await readFile(path.join(project.root, '.faithh', 'sessions', file!), 'utf8'))
    expect(saved.turns).toBe(2)
    expect(saved.title).toBe('what does math.js do?')
    expect(saved.messages.at(-1)).toEqual({role: 'assistant', content: 'add is used nowhere else yet.'})
    expect(result.stderr).toContain(`faithh chat --resume ${saved.id}`)
  })

  it('--resume sends the earlier messages; --resume <id> picks that session; --list shows them', async () => {
    ollama.script([{content: 'First answer.'}])
    await chat('remember the word kumquat\n')
    const [file] = await sessionFiles()
    const id = file!.replace(/\.json$/, '')

    ollama.script([{content: 'The word was kumquat.'}, {content: 'Still kumquat.'}])
    const resumed = await chat('which word?\n', ['--resume'])
    expect(resumed.exitCode, resumed.stderr).toBe(0)
    expect(resumed.stdout).toContain('The word was kumquat.')
    expect(contents(ollama.chats()[1]!)).toEqual(expect.arrayContaining(['user: remember the word kumquat', 'assistant: First answer.', 'user: which word?']))

    const byId = await chat('and now?\n', ['--resume', id])
    expect(byId.exitCode, byId.stderr).toBe(0)
    expect(contents(ollama.chats().at(-1)!)).toEqual(
      expect.arrayContaining(['user: remember the word kumquat', 'user: which word?', 'assistant: The word was kumquat.', 'user: and now?']),
    )
    expect(await sessionFiles()).toHaveLength(1)

    const list = await run(['chat', '--list', '--json'])
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({id, turns: 3, title: 'remember the word kumquat'})])

    const missing = await chat('hi\n', ['--resume', 'no-such-session'])
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain('no session no-such-session')
  })

  it("/undo reverts the files the last turn wrote, /diff shows the session's changes, and the model is told", async () => {
    await allowWrites()
    ollama.script([
      {tool_calls: [{name: 'edit_file', arguments: {path: 'math.js', old_text: 'a + b', new_text: 'a + b + 0'}}]},
      {content: 'Done.'},
      {content: 'OK, back to how it was.'},
    ])
    const result = await chat('make add silly\n/diff\n/undo\n/diff\nsorry about that\n/exit\nnever sent\n')

    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toContain('-export const add = (a, b) => a + b\n+export const add = (a, b) => a + b + 0')
    expect(result.stderr).toContain('restored math.js')
    expect(result.stderr).toContain('this session has changed no files')
    expect(await readFile(path.join(project.root, 'math.js'), 'utf8')).toBe('export const add = (a, b) => a + b\n')
    const last = ollama.chats().at(-1)!.messages.at(-1)!
    expect(last.content).toMatch(/the user undid your changes to math\.js[\s\S]*sorry about that$/)
    expect(ollama.chats()).toHaveLength(3) // nothing after /exit
  })

  it('compacts older turns when the window fills: a smaller request with the summary, and the user is told', async () => {
    const big = Array.from({length: 120}, (_, i) => `export const value${i} = ${i} // a line of padding`).join('\n') + '\n'
    await writeFile(path.join(project.root, 'big.js'), big)
    const replies: FakeReply[] = [
      {tool_calls: [{name: 'read_file', arguments: {path: 'big.js'}}]},
      {content: 'big.js defines many values. ' + 'It is long. '.repeat(250)},
      {content: 'Yes, value7 is 7.'},
    ]
    let next = 0
    ollama.script((request) => {
      if (!request.tools && request.messages[0]?.content.includes('You summarise a conversation'))
        return {content: 'The user asked about big.js; it defines value0..value119.'}
      return replies[next++] ?? {content: '(unscripted)'}
    })
    const result = await chat('what is in big.js?\nis value7 seven?\n', ['-m', 'tiny:1b'])

    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/compacted 1 earlier turn to stay within the 2048-token window/)
    const chats = ollama.chats()
    const summaryRequest = chats.find((c) => !c.tools)!
    expect(summaryRequest.messages[1]!.content).toContain('what is in big.js?')
    const before = chats[1]!
    const after = chats.at(-1)!
    expect(after.options?.num_ctx).toBe(2048)
    expect(JSON.stringify(after.messages).length).toBeLessThan(JSON.stringify(before.messages).length / 2)
    expect(after.messages[1]!.content).toContain('The user asked about big.js; it defines value0..value119.')
    expect(after.messages.at(-1)!.content).toBe('is value7 seven?')
    expect(result.stdout).toContain('Yes, value7 is 7.')
  })
})

describe('faithh chat --rag', () => {
  it('puts indexed code in front of each message and offers search_codebase', async () => {
    const chromaUrl = requireChroma()
    const retry = `/** Retries with exponential backoff. */\nexport function withRetry(task) {\n${Array.from({length: 12}, (_, i) => `  const delay${i} = 2 ** ${i} * 100`).join('\n')}\n}\n`
    await writeFile(path.join(project.root, 'retry.js'), retry)
    const env = {CHROMA_URL: chromaUrl}
    const indexed = await run(['index'], {env})
    expect(indexed.exitCode, indexed.stderr).toBe(0)
    ollama.requests.length = 0

    ollama.script([{content: 'withRetry in retry.js.'}])
    const result = await run(['chat', '--rag'], {env, input: 'where is the retry with backoff?\n'})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/added \d+ chunk\(s\) of indexed code/)
    const [request] = ollama.chats()
    expect(request!.tools!.map((t) => t.function.name)).toContain('search_codebase')
    const sent = request!.messages.at(-1)!.content
    expect(sent).toContain('export function withRetry(task)')
    expect(sent.endsWith('Question: where is the retry with backoff?')).toBe(true)
  })
})
