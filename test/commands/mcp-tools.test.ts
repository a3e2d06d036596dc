import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {configureProjectServers, FILESYSTEM_SERVER, leftoverProcesses, stdioEntry, UNRULY_SERVER} from '../support/mcp.js'

// Agent commands with MCP tools, in this process, against the fake Ollama; the servers are real
// processes started from the project's .faithh/config.json as a user would configure them.
const {ollama, project, run} = await cliFixture({fresh: true, files: {'src/app.ts': 'export const answer = 42\n', 'notes.md': 'the notes\n'}})

/** The project's servers, trusted as `faithh mcp trust` would (a project's servers start only once trusted). */
const configure = (mcpServers: Record<string, unknown>) => configureProjectServers(project.root, mcpServers)

const offered = (index = 0) => ollama.chats()[index]!.tools?.map((tool) => tool.function.name) ?? []
/** The tool results the model was sent, in order (the last request carries the whole history). */
const toolReplies = () =>
  ollama
    .chats()
    .at(-1)!
    .messages.filter((m) => m.role === 'tool')

describe('MCP tools in agent commands', () => {
  it('ask offers a trusted read-only tool of the filesystem server, calls it, and feeds the result back to the model', async () => {
    const {entry, mark} = stdioEntry(FILESYSTEM_SERVER, [project.root], {trustReadOnlyHints: true, permission: 'allow'})
    await configure({fs: entry})
    ollama.script([
      {tool_calls: [{name: 'fs__read_text_file', arguments: {path: path.join(project.root, 'notes.md')}}]},
      {content: 'The notes say: the notes.'},
    ])

    const result = await run(['ask', 'what do the notes say?'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout.trim()).toBe('The notes say: the notes.')
    expect(offered()).toContain('fs__read_text_file')
    // ask offers only what never changes anything: the server's writing tools stay out.
    expect(offered()).not.toContain('fs__edit_file')
    expect(offered()).not.toContain('fs__write_file')
    const spec = ollama.chats()[0]!.tools!.find((tool) => tool.function.name === 'fs__read_text_file')!
    expect(spec.function.parameters).toMatchObject({type: 'object', required: ['path']})
    expect(JSON.stringify(spec)).not.toContain('$schema')
    expect(toolReplies()).toEqual([expect.objectContaining({tool_name: 'fs__read_text_file', content: expect.stringContaining('the notes')})])
    // Stopped with the command: nothing left running.
    expect(await leftoverProcesses(mark)).toEqual([])
  })

  it("ask does not offer a server's tools on its hints alone (trustReadOnlyHints unset)", async () => {
    await configure({fs: stdioEntry(FILESYSTEM_SERVER, [project.root]).entry})
    ollama.script([{content: 'ok'}])
    const result = await run(['ask', 'anything?'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(offered().filter((name) => name.startsWith('fs__'))).toEqual([])
  })

  it('edit offers every tool the config does not deny; a denied one is not offered and never runs', async () => {
    const {entry, mark} = stdioEntry(UNRULY_SERVER, [], {permission: 'allow', tools: {echo: 'deny'}})
    await configure({unruly: entry})
    ollama.script([
      {tool_calls: [{name: 'unruly__echo', arguments: {text: 'should not run'}}]},
      {tool_calls: [{name: 'unruly__look', arguments: {}}]},
      {tool_calls: [{name: 'edit_file', arguments: {path: 'src/app.ts', old_text: '42', new_text: '43'}}]},
      {content: 'Changed the answer.'},
    ])

    const result = await run(['edit', 'src/app.ts', '-i', 'change the answer', '--dry-run'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(offered()).toEqual(expect.arrayContaining(['unruly__look', 'unruly__big', 'unruly__crash', 'unruly__hang']))
    expect(offered()).not.toContain('unruly__echo')
    const [denied, looked] = toolReplies()
    expect(denied!.content).toMatch(/^unknown tool "unruly__echo"/)
    expect(denied!.content).not.toContain('echo: should not run')
    expect(looked).toMatchObject({tool_name: 'unruly__look', content: 'looked\n[image: image/png, 5 bytes — not shown]'})
    expect(await leftoverProcesses(mark)).toEqual([])
  })

  it('without a terminal, a call that needs confirmation is refused and the run exits 6', async () => {
    await configure({unruly: {...stdioEntry(UNRULY_SERVER).entry, trustReadOnlyHints: true}})
    ollama.script([{tool_calls: [{name: 'unruly__look', arguments: {}}]}, {content: 'I could not look.'}])

    const result = await run(['ask', 'look at it'])
    expect(result.exitCode).toBe(6)
    expect(toolReplies()[0]!.content).toContain('calling unruly__look needs confirmation')
    expect(toolReplies()[0]!.content).toContain('rerun with --yes, or set "permission": "allow" for "unruly"')
  })

  it('--yes approves the call', async () => {
    await configure({unruly: {...stdioEntry(UNRULY_SERVER).entry}})
    ollama.script([
      {tool_calls: [{name: 'unruly__echo', arguments: {text: 'approved'}}]},
      {tool_calls: [{name: 'edit_file', arguments: {path: 'src/app.ts', old_text: '42', new_text: '7'}}]},
      {content: 'done'},
    ])
    const result = await run(['edit', 'src/app.ts', '-i', 'x', '--yes'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(toolReplies()[0]).toMatchObject({tool_name: 'unruly__echo', content: 'echo: approved'})
  })

  it('a server that crashes mid-call: one warning on stderr, the model is told, the run goes on and ends normally', async () => {
    const {entry, mark} = stdioEntry(UNRULY_SERVER, [], {permission: 'allow'})
    await configure({unruly: entry})
    ollama.script([
      {tool_calls: [{name: 'unruly__crash', arguments: {}}]},
      {tool_calls: [{name: 'unruly__echo', arguments: {text: 'anyone?'}}]},
      {tool_calls: [{name: 'edit_file', arguments: {path: 'src/app.ts', old_text: '42', new_text: '41'}}]},
      {content: 'Edited without the server.'},
    ])

    const result = await run(['edit', 'src/app.ts', '-i', 'x', '--dry-run'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr.match(/warning: MCP server "unruly"/g)).toHaveLength(1)
    expect(result.stderr).toContain('warning: MCP server "unruly" exited with code 3: unruly: segmentation fault (simulated); its tools are no longer offered')
    const [crashed, afterwards] = toolReplies()
    expect(crashed!.content).toContain('MCP server "unruly" exited with code 3')
    expect(afterwards!.content).toContain('unavailable for the rest of this run')
    expect(await leftoverProcesses(mark)).toEqual([])
  })

  it('a server that does not start is a warning, not a failure: the command runs without its tools', async () => {
    await configure({broken: {command: 'faithh-no-such-server', sandbox: false}})
    ollama.script([{content: 'fine'}])
    const result = await run(['ask', 'still works?'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toContain('warning: MCP server "broken" did not start: cannot start `faithh-no-such-server`: no such program')
  })
})
