import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'

// What only a process shows: stdin closed at EOF, no terminal to confirm on, JSON lines on stdout.
// The conversation itself (resume, /undo, compaction, --rag) is tested in process, in test/commands/chat.test.ts.
const {ollama, project, cli} = await cliFixture({files: {'math.js': 'export const add = (a, b) => a + b\n'}, fresh: true})
const chat = (input: string, args: string[] = []) => cli(['chat', ...args], {input})

describe('faithh chat as a process, reading stdin', () => {
  it("--json prints the session's events, one JSON object per line", async () => {
    ollama.script([{content: 'Hi there.'}])
    const result = await chat('hello\n', ['--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
    expect(events[0]).toMatchObject({type: 'session', model: 'qwen2.5-coder:7b', turn: 1})
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['start', 'text', 'usage']))
    expect(events.at(-1)).toEqual({type: 'final', text: 'Hi there.', steps: 1})
  })

  it('without a terminal, a write that needs confirmation is refused (exit 6), and EOF ends the session', async () => {
    ollama.script([{tool_calls: [{name: 'write_file', arguments: {path: 'notes.txt', content: 'x\n'}}]}, {content: 'Could not write.'}])
    const result = await chat('write notes\n')

    expect(result.exitCode).toBe(6)
    expect(result.stderr).toContain('no terminal to ask on')
    await expect(readFile(path.join(project.root, 'notes.txt'))).rejects.toThrow()

    const empty = await chat('')
    expect(empty.exitCode).toBe(0)
  })
})
