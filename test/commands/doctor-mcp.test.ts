import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {configureProjectServers, leftoverProcesses, stdioEntry, UNRULY_SERVER} from '../support/mcp.js'

const {project, run} = await cliFixture({fresh: true})

/** The project's servers, trusted as `faithh mcp trust` would (a project's servers start only once trusted). */
const configure = (mcpServers: Record<string, unknown>) => configureProjectServers(project.root, mcpServers)

describe('faithh doctor and MCP servers', () => {
  it('lists each server with its state and tool count; one that does not start is a problem (exit 1)', async () => {
    const unruly = stdioEntry(UNRULY_SERVER)
    await configure({unruly: unruly.entry, slow: {...stdioEntry(UNRULY_SERVER, ['--hang-on-start']).entry, startTimeoutSeconds: 1}})
    const result = await run(['doctor'])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('model qwen2.5-coder:7b is pulled')
    expect(result.stdout).toContain('✓ MCP server unruly (stdio): 5 tools\n    not sandboxed ("sandbox": false in its entry): runs with all your rights')
    expect(result.stdout).toContain('✗ MCP server slow: did not start: did not start within 1 s (startTimeoutSeconds)')
    // The tool list is for `faithh mcp test`; doctor only counts.
    expect(result.stdout).not.toContain('unruly__echo')
    expect(await leftoverProcesses(unruly.mark)).toEqual([])

    const json = await run(['doctor', '--json'])
    const report = JSON.parse(json.stdout)
    expect(report.mcpServers.map((server: {name: string; state: string; tools: unknown[]}) => [server.name, server.state, server.tools.length])).toEqual([
      ['unruly', 'running', 5],
      ['slow', 'failed', 0],
    ])
    expect(report.ok).toBe(false)
  })

  it("reports a project's server it may not start (not trusted yet) without starting it, and without failing", async () => {
    const {entry, mark} = stdioEntry(UNRULY_SERVER)
    await configureProjectServers(project.root, {unruly: entry}, {trust: false})
    const result = await run(['doctor'])
    expect(result.exitCode, result.stdout).toBe(0)
    expect(result.stdout).toContain(
      "! MCP server unruly: not started: this project's server is not trusted yet — review it with `faithh mcp list`, trust it with `faithh mcp trust unruly`",
    )
    expect(await leftoverProcesses(mark, 0)).toEqual([])
  })

  it('is ready (exit 0) when every configured server starts', async () => {
    await configure({unruly: stdioEntry(UNRULY_SERVER).entry})
    const result = await run(['doctor'])
    expect(result.exitCode, result.stdout).toBe(0)
    expect(result.stdout).toContain('✓ MCP server unruly (stdio): 5 tools')
  })
})
