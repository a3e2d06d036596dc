import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {askMidRun, configureProjectServers, EVERYTHING_SERVER, leftoverProcesses, processesMarked, sandboxedEntry, UNRULY_SERVER} from '../support/mcp.js'
import {needsSandbox} from '../support/requirements.js'

/** MCP servers in the sandbox, seen from the command line: what doctor says, and that none outlives faithh. */
const {ollama, project, cli} = await cliFixture({fresh: true, files: {'app.js': 'module.exports = 1\n'}})

describe.skipIf(!needsSandbox('MCP servers in the sandbox, end to end'))('MCP servers in the sandbox, end to end', () => {
  it('doctor and mcp test say a server runs sandboxed, and with what', async () => {
    await configureProjectServers(project.root, {everything: sandboxedEntry(EVERYTHING_SERVER, ['stdio'], {network: 'loopback'}).entry})
    const doctor = await cli(['doctor'])
    expect(doctor.stdout).toMatch(
      /✓ MCP server everything \(stdio\): \d+ tools\n {4}sandboxed: writes only in the project and a private \/tmp, home folder hidden, network: this machine's loopback services only; reads also /,
    )
    const tested = await cli(['mcp', 'test', 'everything'])
    expect(tested.exitCode, tested.stdout).toBe(0)
    expect(tested.stdout).toContain('everything__echo  confirm each call')
  })

  it('stops sandboxed servers (bwrap and all inside) when faithh is terminated mid-run', async () => {
    const {entry, mark} = sandboxedEntry(UNRULY_SERVER, ['--linger'], {}, {trustReadOnlyHints: true})
    await configureProjectServers(project.root, {unruly: entry})
    ollama.script([{content: 'late', delayMs: 20_000}])
    // bwrap, the sandbox's init and the server: all carry the mark.
    const {child} = await askMidRun(project.root, ollama, mark, 2)
    expect((await processesMarked(mark)).length).toBeGreaterThanOrEqual(2)

    child.kill('SIGTERM')
    expect((await child).signal).toBe('SIGTERM')
    expect(await leftoverProcesses(mark, 3000)).toEqual([])
  })
})
