import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {configureProjectServers, leftoverProcesses, stdioEntry, UNRULY_SERVER} from '../support/mcp.js'
import {KEYS, runInTerminal} from '../support/terminal.js'

/**
 * A project's .faithh/config.json can declare MCP servers (a cloned repository can ship one): they
 * start only once the user trusts them, asked at a terminal, remembered outside the project.
 */
const {ollama, project, run, cli} = await cliFixture({fresh: true, files: {'app.js': 'module.exports = 1\n'}})

/** A server `faithh ask` offers a tool of (look, read-only by its hints, which this entry believes), allowed without asking. */
const lookingServer = (args: string[] = []) => stdioEntry(UNRULY_SERVER, args, {trustReadOnlyHints: true, permission: 'allow'})
const offered = () =>
  ollama
    .chats()
    .at(-1)!
    .tools?.map((tool) => tool.function.name) ?? []

describe("trusting a project's MCP servers", () => {
  it('without a terminal an untrusted server is not started: one warning, the run goes on without it', async () => {
    const {entry, mark} = lookingServer()
    await configureProjectServers(project.root, {unruly: entry}, {trust: false})
    ollama.script([{content: 'fine'}])
    const result = await cli(['ask', 'anything?'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr.match(/warning: /g)).toHaveLength(1)
    expect(result.stderr).toContain('warning: MCP server "unruly" of this project\'s .faithh/config.json is not trusted yet, so not started')
    expect(result.stderr).toContain('trust with `faithh mcp trust`')
    expect(offered()).not.toContain('unruly__look')
    expect(await leftoverProcesses(mark, 0)).toEqual([])
  })

  it('at a terminal it is asked about once, showing what it runs; trusted, it starts, and later runs without a terminal remember', async () => {
    const {entry, mark} = lookingServer()
    await configureProjectServers(project.root, {unruly: entry}, {trust: false})
    ollama.script([{content: 'asked'}])
    const asked = await runInTerminal(['ask', 'anything?'], [['Start it?', '\r']], {cwd: project.root, host: ollama.url})
    expect(asked.exitCode, asked.output).toBe(0)
    expect(asked.output).toContain(`.faithh/config.json declares MCP server "unruly": starting it runs what the project chose`)
    expect(asked.output).toContain(`${process.execPath} ${UNRULY_SERVER}`)
    expect(asked.output).toContain('not sandboxed ("sandbox": false in its entry)')
    expect(asked.output).toContain('Yes, and trust it in this project')
    expect(offered()).toContain('unruly__look')

    ollama.script([{content: 'remembered'}])
    const later = await cli(['ask', 'again?'])
    expect(later.exitCode, later.stderr).toBe(0)
    expect(later.stderr).not.toContain('warning')
    expect(offered()).toContain('unruly__look')
    expect(await leftoverProcesses(mark)).toEqual([])
  })

  it('an entry that changes after it was trusted is asked about again, saying it changed; "no" starts nothing', async () => {
    const {entry, mark} = lookingServer()
    await configureProjectServers(project.root, {unruly: entry})
    const changed = {...entry, args: [...(entry.args as string[]), '--linger']}
    await configureProjectServers(project.root, {unruly: changed}, {trust: false})

    ollama.script([{content: 'without it'}])
    const result = await runInTerminal(['ask', 'anything?'], [['Start it?', `${KEYS.down}${KEYS.down}\r`]], {cwd: project.root, host: ollama.url})
    expect(result.exitCode, result.output).toBe(0)
    expect(result.output).toContain('declares MCP server "unruly", changed since you decided about it')
    expect(result.output).toContain('--linger')
    expect(offered()).not.toContain('unruly__look')
    expect(await leftoverProcesses(mark, 0)).toEqual([])
  })

  it("faithh mcp trust trusts them without a terminal (what CI and scripts do); --revoke forgets; a name that is not the project's is refused", async () => {
    await configureProjectServers(project.root, {unruly: lookingServer().entry}, {trust: false})
    const listed = await run(['mcp/list'])
    expect(listed.stdout).toContain('project (not trusted) · permission: allow')
    expect(listed.stdout).toContain('not started until you trust it: `faithh mcp trust unruly`')

    const trusted = await run(['mcp/trust'])
    expect(trusted.exitCode, trusted.stderr).toBe(0)
    expect(trusted.stdout).toContain(`✓ trusted MCP server unruly: ${process.execPath} ${UNRULY_SERVER}`)
    expect(trusted.stdout).toContain('not sandboxed ("sandbox": false): runs with all your rights')
    expect(JSON.parse((await run(['mcp/list', '--json'])).stdout)[0]).toMatchObject({name: 'unruly', source: 'project', trust: 'trusted', sandbox: false})

    ollama.script([{content: 'with it'}])
    expect((await run(['ask', 'anything?'])).stderr).not.toContain('warning')
    expect(offered()).toContain('unruly__look')

    expect((await run(['mcp/trust', '--revoke'])).stdout).toContain('forgot your decisions about "unruly"')
    expect((await run(['mcp/test'])).stdout).toContain("! MCP server unruly: not started: this project's server is not trusted yet")

    const unknown = await run(['mcp/trust', 'nope'])
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toContain('not a server of')
  })

  it('a server added with `faithh mcp add` is trusted in the project it was added to', async () => {
    const added = await run(['mcp/add', 'mine', '--no-sandbox', '--', process.execPath, UNRULY_SERVER])
    expect(added.stderr).toContain('(trusted in this project)')
    const tested = await run(['mcp/test', 'mine'])
    expect(tested.exitCode, tested.stdout).toBe(0)
    expect(tested.stdout).toContain('✓ MCP server mine (stdio): 5 tools')
    expect(tested.stdout).toContain('not sandboxed ("sandbox": false in its entry)')
  })
})
