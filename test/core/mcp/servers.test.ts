import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {randomUUID} from 'node:crypto'
import {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js'
import {StreamableHTTPServerTransport} from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import {afterEach, describe, expect, it} from 'vitest'
import {z} from 'zod'

import {refuseAll, type ConfirmRequest, type Confirmer} from '../../../src/core/access/confirm.js'
import {McpServers} from '../../../src/core/mcp/servers.js'
import {runTool, toOllamaTool, type Tool} from '../../../src/core/tools/tool.js'
import {EVERYTHING_SERVER, FILESYSTEM_SERVER, leftoverProcesses, sandboxFor, stdioEntry, UNRULY_SERVER, userServers} from '../../support/mcp.js'
import {sandbox} from '../../support/sandbox.js'

const started: McpServers[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((servers) => servers.close()))
})

async function start(mcpServers: Record<string, unknown>, root: string): Promise<{servers: McpServers; warnings: string[]}> {
  const warnings: string[] = []
  const servers = await McpServers.start(userServers(mcpServers, root), {sandbox: sandboxFor(root), onWarning: (message) => warnings.push(message)})
  started.push(servers)
  return {servers, warnings}
}

function toolNamed(servers: McpServers, name: string): Tool {
  const tool = servers.tools.find((candidate) => candidate.name === name)
  if (!tool) throw new Error(`no tool ${name} among ${servers.tools.map((t) => t.name).join(', ')}`)
  return tool
}

/** Answers every confirmation with `approved`, and keeps what it was asked. */
function recordingConfirmer(approved: boolean): Confirmer & {asked: ConfirmRequest[]} {
  const asked: ConfirmRequest[] = []
  return {interactive: true, asked, confirm: async (request) => (asked.push(request), approved ? {approved: true, remember: false} : {approved: false})}
}

describe('MCP servers from npm over stdio', () => {
  it("offers the everything server's tools as server__tool with compact schemas, and calls them", async () => {
    const box = await sandbox()
    const {entry, mark} = stdioEntry(EVERYTHING_SERVER, ['stdio'])
    const {servers, warnings} = await start({everything: entry}, box.root)
    expect(warnings).toEqual([])

    const echo = toolNamed(servers, 'everything__echo')
    const spec = toOllamaTool(echo)
    expect(spec.function.parameters).toMatchObject({type: 'object', properties: {message: {type: 'string'}}, required: ['message']})
    expect(JSON.stringify(spec)).not.toContain('$schema')
    for (const tool of servers.tools) expect(tool.description.length).toBeLessThanOrEqual(240)
    // Read-only hints are not believed unless the config says so: nothing is offered to `ask`.
    expect(servers.tools.filter((tool) => tool.readOnly)).toEqual([])

    const result = await runTool(echo, {message: 'hello over stdio'}, box.ctx)
    expect(result).toMatchObject({ok: true})
    expect(result.output).toContain('hello over stdio')

    const sum = await runTool(toolNamed(servers, 'everything__get-sum'), {a: 2, b: 40}, box.ctx)
    expect(sum.output).toContain('42')

    await servers.close()
    expect(await leftoverProcesses(mark)).toEqual([])
  })

  it("passes the server's validation error back to the model as a failed call it can fix", async () => {
    const box = await sandbox()
    const {servers} = await start({everything: stdioEntry(EVERYTHING_SERVER, ['stdio']).entry}, box.root)
    const result = await runTool(toolNamed(servers, 'everything__get-sum'), {a: 'two'}, box.ctx)
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/everything__get-sum/)
    expect(result.output).toMatch(/expected number|invalid/i)
  })

  it('reads through the filesystem server, and offers its read-only tools to ask only when trustReadOnlyHints is set', async () => {
    const box = await sandbox({'notes.txt': 'the filesystem server read this\n'})
    const {entry} = stdioEntry(FILESYSTEM_SERVER, [box.root])
    const {servers: untrusted} = await start({fs: entry}, box.root)
    expect(untrusted.tools.filter((tool) => tool.readOnly)).toEqual([])

    const {servers} = await start({fs: {...entry, trustReadOnlyHints: true, tools: {write_file: 'deny'}}}, box.root)
    const readOnly = servers.tools.filter((tool) => tool.readOnly).map((tool) => tool.name)
    expect(readOnly).toContain('fs__read_text_file')
    expect(readOnly).not.toContain('fs__edit_file')
    expect(servers.tools.map((tool) => tool.name)).not.toContain('fs__write_file')

    const result = await runTool(toolNamed(servers, 'fs__read_text_file'), {path: `${box.root}/notes.txt`}, box.ctx)
    expect(result.output).toContain('the filesystem server read this')
  })
})

describe('the permission gate in front of every MCP call', () => {
  it('asks before a call (permission "ask", the default), showing the arguments, and does not call on "no"', async () => {
    const confirmer = recordingConfirmer(false)
    const box = await sandbox({}, {}, undefined, confirmer)
    const {servers} = await start({unruly: stdioEntry(UNRULY_SERVER).entry}, box.root)
    const result = await runTool(toolNamed(servers, 'unruly__echo'), {text: 'rm -rf /'}, box.ctx)
    expect(confirmer.asked).toEqual([
      {kind: 'tool', tool: 'unruly__echo', server: 'unruly', arguments: {text: 'rm -rf /'}, reason: expect.stringContaining('"permission": "ask"')},
    ])
    expect(result).toMatchObject({ok: false, kind: 'denied'})
    expect(result.output).toContain('the user declined calling unruly__echo')
    expect(result.output).not.toContain('echo: rm -rf /')
  })

  it('refuses an "ask" without a terminal (needs_approval), with how to allow it', async () => {
    const box = await sandbox({}, {}, undefined, refuseAll)
    const {servers} = await start({unruly: stdioEntry(UNRULY_SERVER).entry}, box.root)
    const result = await runTool(toolNamed(servers, 'unruly__echo'), {text: 'x'}, box.ctx)
    expect(result).toMatchObject({ok: false, kind: 'needs_approval'})
    expect(result.output).toContain('rerun with --yes, or set "permission": "allow" for "unruly"')
  })

  it.each([
    ['"permission": "allow" on the server', {permission: 'allow'}],
    ['"tools": {"echo": "allow"}', {tools: {echo: 'allow'}}],
    ['"tools": {"unruly__echo": "allow"} (faithh\'s name for it)', {tools: {unruly__echo: 'allow'}}],
  ])('runs without asking with %s', async (_name, settings) => {
    const confirmer = recordingConfirmer(false)
    const box = await sandbox({}, {}, undefined, confirmer)
    const {servers} = await start({unruly: {...stdioEntry(UNRULY_SERVER).entry, ...settings}}, box.root)
    const result = await runTool(toolNamed(servers, 'unruly__echo'), {text: 'allowed'}, box.ctx)
    expect(confirmer.asked).toEqual([])
    expect(result).toMatchObject({ok: true, output: 'echo: allowed'})
  })

  it('never offers a denied tool, and does not start a server whose every tool is denied', async () => {
    const box = await sandbox()
    const one = stdioEntry(UNRULY_SERVER)
    const {servers} = await start({unruly: {...one.entry, tools: {crash: 'deny', hang: 'deny'}}}, box.root)
    expect(servers.tools.map((tool) => tool.name).sort()).toEqual(['unruly__big', 'unruly__echo', 'unruly__look'])

    const all = stdioEntry(UNRULY_SERVER)
    const {servers: denied} = await start({unruly: {...all.entry, permission: 'deny'}}, box.root)
    expect(denied.tools).toEqual([])
    expect(denied.statuses()[0]).toMatchObject({state: 'disabled'})
    expect(await leftoverProcesses(all.mark, 0)).toEqual([])
  })
})

describe('servers that misbehave', () => {
  it('a server that crashes mid-call: one clear warning, a failed result saying why, and its tools go away', async () => {
    const box = await sandbox()
    const {entry, mark} = stdioEntry(UNRULY_SERVER, [], {permission: 'allow'})
    const {servers, warnings} = await start({unruly: entry}, box.root)
    const echo = toolNamed(servers, 'unruly__echo')

    const result = await runTool(toolNamed(servers, 'unruly__crash'), {}, box.ctx)
    expect(result).toMatchObject({ok: false, kind: 'failed'})
    expect(result.output).toContain('exited with code 3')
    expect(result.output).toContain('segmentation fault (simulated)')
    expect(result.output).toContain('unavailable for the rest of this run')

    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^MCP server "unruly" exited with code 3: unruly: segmentation fault \(simulated\); its tools are no longer offered$/)
    expect(servers.tools).toEqual([])
    expect(servers.statuses()[0]).toMatchObject({state: 'failed'})

    // The model may still call a tool it was offered before: an answer at once, not a hang.
    const again = await runTool(echo, {text: 'still there?'}, box.ctx)
    expect(again).toMatchObject({ok: false})
    expect(again.output).toContain('unavailable for the rest of this run')
    expect(warnings).toHaveLength(1)
    expect(await leftoverProcesses(mark)).toEqual([])
  })

  it('a server that never answers: the call times out (callTimeoutSeconds), the server is stopped, one warning', async () => {
    const box = await sandbox()
    const {entry, mark} = stdioEntry(UNRULY_SERVER, [], {permission: 'allow', callTimeoutSeconds: 1})
    const {servers, warnings} = await start({unruly: entry}, box.root)
    const startedAt = Date.now()
    const result = await runTool(toolNamed(servers, 'unruly__hang'), {}, box.ctx)
    expect(Date.now() - startedAt).toBeLessThan(10_000)
    expect(result).toMatchObject({ok: false, kind: 'timeout'})
    expect(result.output).toContain('did not answer a call to hang within 1 s (callTimeoutSeconds)')
    expect(warnings).toEqual(['MCP server "unruly" did not answer a call to hang within 1 s (callTimeoutSeconds); its tools are no longer offered'])
    expect(servers.tools).toEqual([])
    expect(await leftoverProcesses(mark)).toEqual([])
  })

  it('a server that answers with 1 MB: the result is cut to the tool output cap, keeping its start and end', async () => {
    const box = await sandbox({}, {outputChars: 4000})
    const {servers} = await start({unruly: stdioEntry(UNRULY_SERVER, [], {permission: 'allow'}).entry}, box.root)
    const result = await runTool(toolNamed(servers, 'unruly__big'), {}, box.ctx)
    expect(result.ok).toBe(true)
    expect(result.output.length).toBeLessThan(4200)
    expect(result.output.startsWith('BEGIN ')).toBe(true)
    expect(result.output.endsWith(' END')).toBe(true)
    expect(result.output).toMatch(/\[\d+ characters omitted/)
  })

  it('a server that never finishes starting: given up after startTimeoutSeconds, with one warning, and killed', async () => {
    const box = await sandbox()
    const {entry, mark} = stdioEntry(UNRULY_SERVER, ['--hang-on-start'], {startTimeoutSeconds: 1})
    const {servers, warnings} = await start({slow: entry, fine: stdioEntry(UNRULY_SERVER).entry}, box.root)
    expect(warnings).toEqual(['MCP server "slow" did not start: did not start within 1 s (startTimeoutSeconds); its tools are not available'])
    expect(servers.tools.some((tool) => tool.name.startsWith('slow__'))).toBe(false)
    expect(servers.tools.some((tool) => tool.name === 'fine__echo')).toBe(true)
    expect(await leftoverProcesses(mark)).toEqual([])
  })

  it('a program that does not exist, and an entry that is not usable: a warning each, the other servers still start', async () => {
    const box = await sandbox()
    const {servers, warnings} = await start(
      {gone: {command: 'faithh-no-such-server', sandbox: false}, odd: {type: 'carrier-pigeon', url: 'http://x'}, fine: stdioEntry(UNRULY_SERVER).entry},
      box.root,
    )
    expect(warnings).toContain(
      'MCP server "gone" did not start: cannot start `faithh-no-such-server`: no such program (is it installed and on PATH?); its tools are not available',
    )
    expect(warnings.some((warning) => warning.startsWith('MCP server "odd" is not started: its config entry "type": "carrier-pigeon"'))).toBe(true)
    expect(servers.tools.map((tool) => tool.name)).toContain('fine__echo')
  })

  it('shows images as a placeholder, not base64', async () => {
    const box = await sandbox()
    const {servers} = await start({unruly: stdioEntry(UNRULY_SERVER, [], {permission: 'allow'}).entry}, box.root)
    const result = await runTool(toolNamed(servers, 'unruly__look'), {}, box.ctx)
    expect(result.output).toBe('looked\n[image: image/png, 5 bytes — not shown]')
  })
})

describe('a streamable HTTP server', () => {
  let http: Server | undefined
  afterEach(async () => {
    http?.closeAllConnections()
    await new Promise((resolve) => http?.close(resolve))
    http = undefined
  })

  it('is reached at its url with the configured headers (${VAR} expanded), and its tools are called like stdio ones', async () => {
    const seen: (string | undefined)[] = []
    const mcp = new McpServer({name: 'remote', version: '1.0.0'})
    mcp.registerTool('shout', {description: 'Upper-case the text.', inputSchema: {text: z.string()}}, async ({text}) => ({
      content: [{type: 'text', text: text.toUpperCase()}],
    }))
    const transport = new StreamableHTTPServerTransport({sessionIdGenerator: () => randomUUID()})
    await mcp.connect(transport)
    http = createServer((req, res) => {
      seen.push(req.headers.authorization)
      void transport.handleRequest(req, res)
    })
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`

    process.env.FAITHH_TEST_REMOTE_TOKEN = 'sekrit'
    try {
      const box = await sandbox()
      const {servers, warnings} = await start(
        {remote: {type: 'http', url, headers: {Authorization: 'Bearer ${FAITHH_TEST_REMOTE_TOKEN}'}, permission: 'allow'}},
        box.root,
      )
      expect(warnings).toEqual([])
      const result = await runTool(toolNamed(servers, 'remote__shout'), {text: 'hi'}, box.ctx)
      expect(result).toMatchObject({ok: true, output: 'HI'})
      expect(seen.length).toBeGreaterThan(0)
      expect(new Set(seen)).toEqual(new Set(['Bearer sekrit']))
    } finally {
      delete process.env.FAITHH_TEST_REMOTE_TOKEN
      await mcp.close()
    }
  })
})
