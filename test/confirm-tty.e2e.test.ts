import {execa} from 'execa'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {CLI_BIN, requireBuild} from './support/cli.js'
import {startFakeOllama, type FakeOllama} from './support/fake-ollama.js'
import {makeProject, type Fixture} from './support/fixture.js'

const DRIVER = fileURLToPath(new URL('support/pty-drive.py', import.meta.url))
const DOWN = '\u001B[B'

let ollama: FakeOllama
let project: Fixture

beforeAll(async () => {
  requireBuild()
  ollama = await startFakeOllama()
})
afterAll(() => ollama.close())
beforeEach(async () => {
  project = await makeProject({'math.js': 'export const add = (a, b) => a - b\n'})
})
afterEach(async () => {
  ollama.requests.length = 0
  await project.cleanup()
})

/** Runs faithh in a real pseudo-terminal, answering prompts as they appear. */
async function inTerminal(args: string[], steps: [string, string][]) {
  const result = await execa('python3', [DRIVER, JSON.stringify(steps), '--', 'node', CLI_BIN, ...args], {
    cwd: project.root,
    env: {OLLAMA_HOST: ollama.url, NO_COLOR: '1', CI: undefined},
    extendEnv: true,
    reject: false,
    timeout: 40_000,
  })
  return {exitCode: result.exitCode, output: result.stdout.replaceAll('\r', '')}
}

const fix = () => [
  {tool_calls: [{name: 'edit_file', arguments: {path: 'math.js', old_text: 'a - b', new_text: 'a + b'}}]},
  {content: 'Fixed the operator.'},
]

describe('confirmations at a terminal', () => {
  it('shows the diff and applies the edit when the user says yes', async () => {
    ollama.script(fix())
    const result = await inTerminal(['edit', 'math.js', '-i', 'fix add'], [['Apply this change?', '\r']])

    expect(result.exitCode, result.output).toBe(0)
    expect(result.output).toContain('-export const add = (a, b) => a - b')
    expect(result.output).toContain('+export const add = (a, b) => a + b')
    expect(await readFile(path.join(project.root, 'math.js'), 'utf8')).toBe('export const add = (a, b) => a + b\n')
  })

  it('sends the user\'s reason back to the model when a write is declined', async () => {
    ollama.script([
      {tool_calls: [{name: 'write_file', arguments: {path: 'notes.txt', content: 'hello\n'}}]},
      {content: 'Understood, no notes file.'},
    ])
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
