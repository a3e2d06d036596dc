import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {KEYS, runInTerminal, type TerminalStep} from '../support/terminal.js'

const DOWN = KEYS.down

const {ollama, project} = await cliFixture({files: {'math.js': 'export const add = (a, b) => a - b\n'}, fresh: true})

const inTerminal = (args: string[], steps: TerminalStep[]) => runInTerminal(args, steps, {cwd: project.root, host: ollama.url})

const fix = () => [{tool_calls: [{name: 'edit_file', arguments: {path: 'math.js', old_text: 'a - b', new_text: 'a + b'}}]}, {content: 'Fixed the operator.'}]

describe('confirmations at a terminal', () => {
  it('shows the diff and applies the edit when the user says yes', async () => {
    ollama.script(fix())
    const result = await inTerminal(['edit', 'math.js', '-i', 'fix add'], [['Apply this change?', '\r']])

    expect(result.exitCode, result.output).toBe(0)
    expect(result.output).toContain('-export const add = (a, b) => a - b')
    expect(result.output).toContain('+export const add = (a, b) => a + b')
    expect(await readFile(path.join(project.root, 'math.js'), 'utf8')).toBe('export const add = (a, b) => a + b\n')
  })

  it("sends the user's reason back to the model when a write is declined", async () => {
    ollama.script([{tool_calls: [{name: 'write_file', arguments: {path: 'notes.txt', content: 'hello\n'}}]}, {content: 'Understood, no notes file.'}])
    const result = await inTerminal(
      ['run', 'node -e "process.exit(1)"', '--fix', '--max-attempts', '1'],
      [
        ['Run it?', '\r'],
        ['Apply this change?', `${DOWN}${DOWN}\r`],
        ['Why not?', 'no notes please\r'],
      ],
    )

    expect(result.output).toContain('write_file wants to create notes.txt')
    const toolMessage = ollama.chats()[1]!.messages.find((m) => m.role === 'tool')!
    expect(toolMessage.content).toContain('the user declined writing notes.txt: no notes please')
    expect(result.exitCode).toBe(1)
  })
})
