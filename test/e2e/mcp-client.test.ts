import {afterAll, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {requireBuild} from '../support/cli.js'
import {startFakeOllama, type FakeOllama} from '../support/fake-ollama.js'
import {makeProject, type Fixture} from '../support/fixture.js'
import {askMidRun, configureProjectServers, leftoverProcesses, processesMarked, stdioEntry, UNRULY_SERVER} from '../support/mcp.js'
import {KEYS, runInTerminal} from '../support/terminal.js'

let ollama: FakeOllama
let project: Fixture

beforeAll(async () => {
  requireBuild()
  ollama = await startFakeOllama()
})
afterAll(() => ollama.close())
beforeEach(async () => {
  await project?.cleanup()
  project = await makeProject({'app.js': 'module.exports = 1\n'})
  ollama.requests.length = 0
})

/** The project's servers, trusted as `faithh mcp trust` would (a project's servers start only once trusted). */
const configure = (mcpServers: Record<string, unknown>) => configureProjectServers(project.root, mcpServers)

const toolReplies = () =>
  ollama
    .chats()
    .at(-1)!
    .messages.filter((m) => m.role === 'tool')

describe('MCP tool calls asked at a terminal', () => {
  it('shows the call and its arguments, and runs it on yes', async () => {
    const {entry, mark} = stdioEntry(UNRULY_SERVER)
    await configure({unruly: entry})
    ollama.script([{tool_calls: [{name: 'unruly__echo', arguments: {text: 'from the model'}}]}, {content: 'It echoed.'}])

    const result = await runInTerminal(['edit', 'app.js', '-i', 'echo something', '--dry-run'], [['Call it?', '\r']], {cwd: project.root, host: ollama.url})
    expect(result.output).toContain('the agent wants to call unruly__echo')
    expect(result.output).toContain('"text": "from the model"')
    expect(result.output).toContain('a tool of MCP server "unruly" ("permission": "ask")')
    expect(toolReplies()[0]).toMatchObject({tool_name: 'unruly__echo', content: 'echo: from the model'})
    expect(await leftoverProcesses(mark)).toEqual([])
  })

  it('on no, the server is not called and the model is told the user declined', async () => {
    await configure({unruly: stdioEntry(UNRULY_SERVER).entry})
    ollama.script([{tool_calls: [{name: 'unruly__echo', arguments: {text: 'nope'}}]}, {content: 'Understood.'}])

    const result = await runInTerminal(
      ['edit', 'app.js', '-i', 'echo', '--dry-run'],
      [
        ['Call it?', `${KEYS.down}${KEYS.down}\r`],
        ['Why not?', 'not now\r'],
      ],
      {cwd: project.root, host: ollama.url},
    )
    expect(result.output).toContain('the agent wants to call unruly__echo')
    const reply = toolReplies()[0]!
    expect(reply.content).toContain('the user declined calling unruly__echo: not now')
    expect(reply.content).not.toContain('echo: nope')
  })
})

describe('MCP servers in a chat session', () => {
  it('survive a Ctrl-C that cancels a turn: the next turn still calls them', async () => {
    const {entry, mark} = stdioEntry(UNRULY_SERVER, [], {permission: 'allow'})
    await configure({unruly: entry})
    ollama.script([
      {tool_calls: [{name: 'unruly__echo', arguments: {text: 'first'}}]},
      {content: 'too late', delayMs: 10_000},
      {tool_calls: [{name: 'unruly__echo', arguments: {text: 'second'}}]},
      {content: 'Echoed twice.'},
    ])
    const result = await runInTerminal(
      ['chat'],
      [
        ['chat> ', 'echo first\r'],
        ['✓', KEYS.ctrlC],
        ['chat> ', 'echo again\r'],
        ['Echoed twice.', '/exit\r'],
      ],
      {cwd: project.root, host: ollama.url},
    )
    expect(result.exitCode, result.output).toBe(0)
    expect(result.output).toContain('error: cancelled')
    expect(result.output).not.toContain('warning: MCP server')
    expect(toolReplies().map((reply) => reply.content)).toEqual(['echo: first', 'echo: second'])
    expect(await leftoverProcesses(mark)).toEqual([])
  })
})

describe('MCP servers never outlive faithh', () => {
  it('stops them when faithh is terminated mid-run (SIGTERM), not only when it ends normally', async () => {
    // --linger: these servers would not stop by themselves when faithh's end closes their stdin.
    const {entry, mark} = stdioEntry(UNRULY_SERVER, ['--linger'], {trustReadOnlyHints: true})
    await configure({unruly: entry, second: stdioEntry(UNRULY_SERVER, ['--linger'], {env: {FAITHH_TEST_MARK: mark}}).entry})
    // The model takes its time: faithh is mid-run, servers up, when the signal comes.
    ollama.script([{content: 'late', delayMs: 20_000}])
    const {child} = await askMidRun(project.root, ollama, mark, 2)
    expect(await processesMarked(mark)).toHaveLength(2)

    child.kill('SIGTERM')
    const result = await child
    expect(result.signal).toBe('SIGTERM')
    expect(await leftoverProcesses(mark, 3000)).toEqual([])
  })
})
