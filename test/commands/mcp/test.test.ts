import {describe, expect, it} from 'vitest'

import {cliFixture} from '../../support/cli-fixture.js'
import {configureProjectServers, EVERYTHING_SERVER, leftoverProcesses, stdioEntry, UNRULY_SERVER} from '../../support/mcp.js'

const {project, run} = await cliFixture({fresh: true})

/** The project's servers, trusted as `faithh mcp trust` would (a project's servers start only once trusted). */
const configure = (mcpServers: Record<string, unknown>) => configureProjectServers(project.root, mcpServers)

describe('faithh mcp test', () => {
  it('starts each server, lists its tools with what a call does, stops them, and exits 1 when one failed', async () => {
    const unruly = stdioEntry(UNRULY_SERVER, [], {tools: {crash: 'deny', echo: 'allow'}, trustReadOnlyHints: true})
    await configure({unruly: unruly.entry, broken: {command: 'faithh-no-such-server', sandbox: false}, off: {command: 'x', disabled: true}})
    const result = await run(['mcp/test'])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('✓ MCP server unruly (stdio): 5 tools')
    expect(result.stdout).toMatch(/unruly__echo {2}runs without asking\n/)
    expect(result.stdout).toMatch(/unruly__crash {2}denied: not offered\n/)
    expect(result.stdout).toMatch(/unruly__hang {2}confirm each call\n/)
    expect(result.stdout).toMatch(/unruly__look {2}confirm each call · read-only: `faithh ask` offers it too\n/)
    expect(result.stdout).toContain('✗ MCP server broken: did not start: cannot start `faithh-no-such-server`: no such program')
    expect(result.stdout).toContain('- MCP server off: disabled')
    expect(await leftoverProcesses(unruly.mark)).toEqual([])
  })

  it('tests one server by name (exit 0), with --json; an unknown name is a usage error', async () => {
    await configure({everything: stdioEntry(EVERYTHING_SERVER, ['stdio']).entry, broken: {command: 'faithh-no-such-server', sandbox: false}})
    const result = await run(['mcp/test', 'everything', '--json'])
    expect(result.exitCode, result.stderr).toBe(0)
    const [status] = JSON.parse(result.stdout)
    expect(status).toMatchObject({name: 'everything', state: 'running', transport: 'stdio'})
    expect(status.tools).toContainEqual({name: 'echo', offeredAs: 'everything__echo', permission: 'ask', readOnly: false})

    const unknown = await run(['mcp/test', 'nope'])
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toContain('no MCP server named "nope" is configured')
  })
})
