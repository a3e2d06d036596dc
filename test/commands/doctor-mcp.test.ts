import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {leftoverProcesses, stdioEntry, UNRULY_SERVER} from '../support/mcp.js'

const {project, run} = await cliFixture({fresh: true})

async function configure(mcpServers: Record<string, unknown>): Promise<void> {
  await mkdir(path.join(project.root, '.faithh'), {recursive: true})
  await writeFile(path.join(project.root, '.faithh/config.json'), JSON.stringify({mcpServers}))
}

describe('faithh doctor and MCP servers', () => {
  it('lists each server with its state and tool count; one that does not start is a problem (exit 1)', async () => {
    const unruly = stdioEntry(UNRULY_SERVER)
    await configure({unruly: unruly.entry, slow: {...stdioEntry(UNRULY_SERVER, ['--hang-on-start']).entry, startTimeoutSeconds: 1}})
    const result = await run(['doctor'])
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('model qwen2.5-coder:7b is pulled')
    expect(result.stdout).toContain('✓ MCP server unruly (stdio): 5 tools')
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

  it('is ready (exit 0) when every configured server starts', async () => {
    await configure({unruly: stdioEntry(UNRULY_SERVER).entry})
    const result = await run(['doctor'])
    expect(result.exitCode, result.stdout).toBe(0)
    expect(result.stdout).toContain('✓ MCP server unruly (stdio): 5 tools')
  })
})
