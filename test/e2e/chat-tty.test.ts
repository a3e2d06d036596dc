import {access, readFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {KEYS, runInTerminal} from '../support/terminal.js'

const CTRL_D = KEYS.ctrlD
const CTRL_C = KEYS.ctrlC

const {ollama, project} = await cliFixture({files: {'math.js': 'export const add = (a, b) => a + b\n'}})

describe('faithh chat at a terminal', () => {
  it('asks inline with the diff, keeps history, and /undo reverts the write', async () => {
    ollama.script([
      {tool_calls: [{name: 'write_file', arguments: {path: 'notes.txt', content: 'hello\n'}}]},
      {content: 'Created notes.txt.'},
      {content: 'You are welcome.'},
    ])
    const steps: [string, string][] = [
      ['chat> ', 'please create notes.txt\r'],
      ['Apply this change?', '\r'],
      ['chat> ', 'thanks\r'],
      ['chat> ', '/diff\r'],
      ['chat> ', '/undo\r'],
      ['chat> ', '/help\r'],
      ['chat> ', CTRL_D],
    ]
    const {exitCode, output} = await runInTerminal(['chat'], steps, {cwd: project.root, host: ollama.url})

    expect(exitCode, output).toBe(0)
    expect(output).toContain('faithh chat — qwen2.5-coder:7b')
    expect(output).toContain('write_file wants to create notes.txt')
    expect(output).toContain('Created notes.txt.')
    expect(output).toContain('You are welcome.')
    // /diff, then /undo, both on what this session did.
    expect(output).toMatch(/\+\+\+ b\/notes\.txt[\s\S]*\+hello[\s\S]*removed notes\.txt/)
    expect(output).toContain('/model [name]')
    expect(output).toMatch(/session saved — continue it with `faithh chat --resume [\w-]+`/)
    await expect(access(path.join(project.root, 'notes.txt'))).rejects.toThrow()

    const second = ollama.chats()[2]!
    expect(second.messages.map((m) => m.content)).toEqual(expect.arrayContaining(['please create notes.txt', 'Created notes.txt.', 'thanks']))
    const tool = second.messages.find((m) => m.role === 'tool')!
    expect(tool.content).toContain('notes.txt')
    expect(await readFile(path.join(project.root, 'math.js'), 'utf8')).toBe('export const add = (a, b) => a + b\n')
  })

  it('Ctrl-C cancels the turn in progress and the session goes on', async () => {
    ollama.requests.length = 0
    ollama.script([{tool_calls: [{name: 'list_directory', arguments: {}}]}, {content: 'too late', delayMs: 10_000}, {content: 'Still here.'}])
    const steps: [string, string][] = [
      ['chat> ', 'list the files\r'],
      ['✓', CTRL_C],
      ['chat> ', 'are you there?\r'],
      ['Still here.', '/exit\r'],
    ]
    const {exitCode, output} = await runInTerminal(['chat'], steps, {cwd: project.root, host: ollama.url})

    expect(exitCode, output).toBe(0)
    expect(output).toContain('error: cancelled')
    expect(output).not.toContain('too late')
    const last = ollama.chats().at(-1)!
    expect(last.messages.map((m) => m.content)).toEqual(expect.arrayContaining(['list the files', 'are you there?']))
  })
})
