import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import type {AgentEvent, AgentOutcome} from '../../../src/core/agent/events.js'
import {runAgent} from '../../../src/core/agent/loop.js'
import {systemPrompt} from '../../../src/core/agent/prompt.js'
import {LlmClient} from '../../../src/core/llm/client.js'
import {builtinTools, readOnlyTools} from '../../../src/core/tools/index.js'
import type {Tool} from '../../../src/core/tools/tool.js'
import {type FakeModel, type FakeOllama, type FakeReply, startFakeOllama} from '../../support/fake-ollama.js'
import {sandbox} from '../../support/sandbox.js'

const SOURCE = 'export function add(a, b) {\n  return a + b\n}\n'
let ollama: FakeOllama | undefined

afterEach(async () => {
  await ollama?.close()
  ollama = undefined
})

/** One agent run in-process against the fake Ollama wire, in a sandboxed project holding math.js. */
async function run(model: FakeModel, chat: FakeReply[], tools: Tool[] = readOnlyTools) {
  ollama = await startFakeOllama({models: [model], chat})
  const box = await sandbox({'math.js': SOURCE})
  const events: AgentEvent[] = []
  const agent = runAgent({
    llm: new LlmClient({host: ollama.url, model: model.name, numCtx: 8192}),
    tools,
    system: systemPrompt({task: 'Help with the code.'}),
    messages: [{role: 'user', content: 'what does math.js do?'}],
    toolContext: box.ctx,
    maxSteps: 10,
  })
  let outcome: AgentOutcome
  for (;;) {
    const next = await agent.next()
    if (next.done) {
      outcome = next.value
      break
    }

    events.push(next.value)
  }

  return {events, outcome, chats: ollama.chats(), root: box.root}
}

const ofType = <T extends AgentEvent['type']>(events: AgentEvent[], type: T) =>
  events.filter((event): event is Extract<AgentEvent, {type: T}> => event.type === type)

describe('runAgent: calls written as text', () => {
  it('reports a repaired name and string-encoded arguments on the tool_call event, and runs the call', async () => {
    const {events, outcome} = await run({name: 'notools:7b', capabilities: ['completion']}, [
      {content: '<tool_call>{"name": "Read-File", "arguments": "{\\"path\\": \\"math.js\\"}"}</tool_call>'},
      {content: 'It adds two numbers.'},
    ])
    expect(ofType(events, 'tool_call')).toEqual([
      {
        type: 'tool_call',
        id: 'call_1_1',
        name: 'read_file',
        arguments: {path: 'math.js'},
        repairs: ['name "Read-File" → "read_file"', 'arguments were a JSON string'],
      },
    ])
    expect(ofType(events, 'tool_result')[0]).toMatchObject({ok: true, output: expect.stringContaining('return a + b')})
    expect(outcome).toEqual({status: 'done', text: 'It adds two numbers.', steps: 2})
  })

  it('runs a native call whose name carries a functions. prefix, and says so', async () => {
    const {events} = await run({name: 'qwen2.5-coder:7b'}, [{tool_calls: [{name: 'functions.read_file', arguments: {path: 'math.js'}}]}, {content: 'Done.'}])
    expect(ofType(events, 'tool_call')[0]).toMatchObject({name: 'read_file', repairs: ['name "functions.read_file" → "read_file"']})
    expect(ofType(events, 'tool_result')[0]!.ok).toBe(true)
  })

  it('reads raw-text parameters as the tool declares them (Qwen3-Coder XML)', async () => {
    const {events} = await run({name: 'qwen3-coder:30b', capabilities: ['completion'], family: 'qwen3moe'}, [
      {
        content:
          '<tool_call>\n<function=read_file>\n<parameter=path>\nmath.js\n</parameter>\n<parameter=start_line>\n2\n</parameter>\n</function>\n</tool_call>',
      },
      {content: 'Line 2 returns the sum.'},
    ])
    expect(ofType(events, 'tool_call')[0]).toMatchObject({name: 'read_file', arguments: {path: 'math.js', start_line: 2}})
    expect(ofType(events, 'tool_result')[0]!.output).toContain('return a + b')
  })

  it('says which dialect it asked for in the start event', async () => {
    const {events, chats} = await run({name: 'llama4:scout', capabilities: ['completion'], family: 'llama4'}, [{content: 'Hi.'}])
    expect(ofType(events, 'start')).toEqual([expect.objectContaining({toolMode: 'text', dialect: 'pythonic'})])
    expect(chats[0]!.messages[0]!.content).toContain('[TOOL_NAME(arg="value", n=1)]')
  })

  it('leaves the dialect out in native mode, and the prompt without a call format', async () => {
    const {events, chats} = await run({name: 'llama4:scout', family: 'llama4'}, [{content: 'Hi.'}])
    expect(ofType(events, 'start')[0]).not.toHaveProperty('dialect')
    expect(chats[0]!.messages[0]!.content).not.toContain('TOOL_NAME')
    expect(chats[0]!.tools).toHaveLength(readOnlyTools.length)
  })

  it("falls back to text in the model's dialect when Ollama refuses tools, and says so in a second start event", async () => {
    // Old Ollama: no capabilities in /api/show, a template that mentions .Tools, yet "does not support tools".
    const {events, chats} = await run({name: 'gemma4:e4b', capabilities: [], family: 'gemma4', template: '{{ if .Tools }}…{{ end }}'}, [
      {content: '<|tool_call>call:read_file{path:<|"|>math.js<|"|>}<tool_call|>'},
      {content: 'It adds.'},
    ])
    expect(ofType(events, 'start').map((e) => [e.toolMode, e.dialect])).toEqual([
      ['native', undefined],
      ['text', 'gemma4'],
    ])
    expect(chats.at(-2)!.messages[0]!.content).toContain('<|tool_call>call:TOOL_NAME')
    expect(ofType(events, 'tool_result')[0]).toMatchObject({ok: true})
  })
})

describe('runAgent: the same call over and over', () => {
  const same = {tool_calls: [{name: 'read_file', arguments: {path: 'math.js'}}]}

  it('runs the first repeat, answers the next ones without running them, then stops with repeated_call', async () => {
    const {events, outcome, chats} = await run(
      {name: 'qwen2.5-coder:7b'},
      Array.from({length: 9}, () => same),
    )
    const results = ofType(events, 'tool_result')
    expect(results.map((r) => r.ok)).toEqual([true, true, false, false])
    expect(results[2]!.output).toMatch(/^read_file: not run — you already called read_file with exactly these arguments 2 times before \(steps 1, 2\)/)
    expect(results[2]!.output).toContain('change the arguments')
    expect(chats[3]!.messages.at(-1)).toMatchObject({role: 'tool', content: expect.stringContaining('not run')})
    expect(events.at(-1)).toEqual({type: 'error', code: 'repeated_call', message: expect.stringContaining('called read_file with the same arguments 5 times')})
    expect(outcome).toEqual({status: 'max_steps', text: '', steps: 5})
    expect(chats).toHaveLength(5) // not the whole 10-step budget
  })

  it('counts arguments in any key order as the same call', async () => {
    const {events} = await run({name: 'qwen2.5-coder:7b'}, [
      {tool_calls: [{name: 'read_file', arguments: {path: 'math.js', start_line: 1}}]},
      {tool_calls: [{name: 'read_file', arguments: {start_line: 1, path: 'math.js'}}]},
      {tool_calls: [{name: 'read_file', arguments: {path: 'math.js', start_line: 1}}]},
      {content: 'ok'},
    ])
    expect(ofType(events, 'tool_result').map((r) => r.ok)).toEqual([true, true, false])
  })

  it('does not count a re-read after the file was changed', async () => {
    const read = {tool_calls: [{name: 'read_file', arguments: {path: 'math.js'}}]}
    const edit = (from: string, to: string) => ({tool_calls: [{name: 'edit_file', arguments: {path: 'math.js', old_text: from, new_text: to}}]})
    const {events, outcome, root} = await run(
      {name: 'qwen2.5-coder:7b'},
      [read, edit('a + b', 'b + a'), read, edit('b + a', 'a + b'), read, read, {content: 'done'}],
      builtinTools,
    )
    expect(ofType(events, 'tool_result').map((r) => r.ok)).toEqual([true, true, true, true, true, true])
    expect(outcome.status).toBe('done')
    expect(await readFile(path.join(root, 'math.js'), 'utf8')).toBe(SOURCE)
  })
})
