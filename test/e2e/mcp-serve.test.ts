import {writeFile} from 'node:fs/promises'
import path from 'node:path'
import {Client} from '@modelcontextprotocol/sdk/client/index.js'
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {CLI_BIN, EMPTY_CONFIG_HOME, requireBuild, runCli} from '../support/cli.js'
import {startFakeOllama, type FakeOllama} from '../support/fake-ollama.js'
import {makeProject, type Fixture} from '../support/fixture.js'
import {requireChroma} from '../support/rag.js'

const FILES = {
  'src/billing.ts': 'export function computeInvoiceTotal(lines: number[]) {\n  // sum every invoice line\n  return lines.reduce((a, b) => a + b, 0)\n}\n',
  'src/auth/session.ts': 'export function refreshSessionToken(token: string) {\n  return token + "-refreshed"\n}\n',
  'README.md': '# Shop\n\nInvoices and sessions.\n',
  '.env': 'STRIPE_KEY=sk_live_secret\n',
}

let ollama: FakeOllama
let chromaUrl: string
let indexed: Fixture
let bare: Fixture

beforeAll(async () => {
  requireBuild()
  chromaUrl = requireChroma()
  ollama = await startFakeOllama()
  indexed = await makeProject(FILES)
  bare = await makeProject(FILES)
  await writeFile(path.join(indexed.root, '..', `outside-${path.basename(indexed.root)}.txt`), 'not for you\n')
  const result = await runCli(['index'], {cwd: indexed.root, host: ollama.url, env: {CHROMA_URL: chromaUrl}})
  expect(result.exitCode, result.stderr).toBe(0)
}, 120_000)

afterAll(async () => {
  await ollama?.close()
  await indexed?.cleanup()
  await bare?.cleanup()
})

/** `faithh mcp serve` in `root`, driven by the SDK's own client, as Claude Code or Codex would. */
async function connect(root: string): Promise<{client: Client; transport: StdioClientTransport; errors: Error[]; stderr: () => string}> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI_BIN, 'mcp', 'serve'],
    cwd: root,
    env: {PATH: process.env.PATH!, HOME: process.env.HOME!, OLLAMA_HOST: ollama.url, CHROMA_URL: chromaUrl, NO_COLOR: '1', XDG_CONFIG_HOME: EMPTY_CONFIG_HOME},
    stderr: 'pipe',
  })
  let stderr = ''
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const client = new Client({name: 'test-agent', version: '1.0.0'})
  const errors: Error[] = []
  // Anything on stdout that is not a protocol message shows up here.
  client.onerror = (error) => errors.push(error)
  await client.connect(transport)
  return {client, transport, errors, stderr: () => stderr}
}

const text = (result: Record<string, unknown>) => (result.content as {type: string; text: string}[]).map((item) => item.text).join('\n')

describe('faithh mcp serve', () => {
  it('lists its read-only tools, answers searches and reads, refuses paths outside the project and secrets, and writes only protocol to stdout', async () => {
    const {client, transport, errors, stderr} = await connect(indexed.root)
    try {
      const {tools} = await client.listTools()
      expect(tools.map((tool) => tool.name)).toEqual(['search_codebase', 'search_files', 'read_file', 'index_status'])
      for (const tool of tools) expect(tool.annotations).toMatchObject({readOnlyHint: true, destructiveHint: false})
      expect(tools.find((tool) => tool.name === 'read_file')!.inputSchema).toMatchObject({
        properties: {path: {type: 'string'}, start_line: {}, end_line: {}},
        required: ['path'],
      })

      const status = JSON.parse(text(await client.callTool({name: 'index_status', arguments: {}})))
      expect(status).toMatchObject({root: indexed.root, indexed: true, search: 'hybrid', changedSinceIndexed: 0})

      const search = await client.callTool({name: 'search_codebase', arguments: {query: 'invoice total'}})
      expect(search.isError).toBe(false)
      expect(text(search)).toMatch(/^src\/billing\.ts:1-4 computeInvoiceTotal/)

      const files = await client.callTool({name: 'search_files', arguments: {query: 'refresh session token'}})
      expect(text(files).split('\n')[0]).toMatch(/^1\. src\/auth\/session\.ts {2}\(lines 1-3; refreshSessionToken\)$/)
      expect(text(files)).toContain('[hybrid search]')

      const range = await client.callTool({name: 'read_file', arguments: {path: 'src/billing.ts', start_line: 2, end_line: 3}})
      expect(range.isError).toBe(false)
      expect(text(range)).toContain('2')
      expect(text(range)).toContain('// sum every invoice line')
      expect(text(range)).toContain('return lines.reduce')
      expect(text(range)).not.toContain('computeInvoiceTotal')

      for (const outside of ['../outside.txt', path.join(indexed.root, '..', `outside-${path.basename(indexed.root)}.txt`), '/etc/passwd']) {
        const refused = await client.callTool({name: 'read_file', arguments: {path: outside}})
        expect(refused.isError, outside).toBe(true)
        expect(text(refused)).toContain('faithh mcp serve reads only inside it')
        expect(text(refused)).not.toContain('not for you')
      }

      const secret = await client.callTool({name: 'read_file', arguments: {path: '.env'}})
      expect(secret.isError).toBe(true)
      expect(text(secret)).not.toContain('sk_live_secret')
      // The index may hold a forbidden file; its text does not come out of a search either.
      for (const name of ['search_codebase', 'search_files']) {
        const found = await client.callTool({name, arguments: {query: 'STRIPE_KEY sk_live_secret'}})
        expect(text(found), name).not.toContain('sk_live_secret')
        expect(text(found), name).not.toContain('.env')
      }

      const bad = await client.callTool({name: 'search_codebase', arguments: {}})
      expect(bad.isError).toBe(true)
      expect(text(bad)).toContain('invalid arguments')
      expect(errors).toEqual([])
      expect(stderr()).toContain(`faithh mcp serve: serving ${indexed.root} on stdio`)
    } finally {
      await client.close()
    }

    // The client going away ends the server.
    expect(transport.pid).toBeNull()
  })

  it('says how to make an index when there is none', async () => {
    const {client} = await connect(bare.root)
    try {
      const status = JSON.parse(text(await client.callTool({name: 'index_status', arguments: {}})))
      expect(status).toMatchObject({indexed: false})
      for (const name of ['search_codebase', 'search_files']) {
        const result = await client.callTool({name, arguments: {query: 'invoice'}})
        expect(result.isError).toBe(true)
        expect(text(result)).toBe(`the project ${bare.root} has no index yet: run \`faithh index\` there first`)
      }
    } finally {
      await client.close()
    }
  })

  it('leaves out files forbidden after they were indexed, and still returns as many files as asked', async () => {
    await using project = await makeProject({
      'src/private/ledger-keys.ts': 'export function ledgerBalanceKey() {\n  // ledger balance ledger balance ledger balance\n  return "ledger balance"\n}\n',
      'src/private/ledger-seed.ts': 'export function ledgerBalanceSeed() {\n  // ledger balance ledger balance\n  return "ledger balance"\n}\n',
      'src/books/ledger.ts': 'export function openLedger() {\n  // the ledger of the books\n  return []\n}\n',
      'src/books/balance.ts': 'export function balanceOf(entries: number[]) {\n  // the balance of the books\n  return 0\n}\n',
    })
    const indexing = await runCli(['index'], {cwd: project.root, host: ollama.url, env: {CHROMA_URL: chromaUrl}})
    expect(indexing.exitCode, indexing.stderr).toBe(0)
    await writeFile(path.join(project.root, '.faithh', 'config.json'), JSON.stringify({permissions: {forbidden: ['src/private/**']}}))

    const {client} = await connect(project.root)
    try {
      const files = text(await client.callTool({name: 'search_files', arguments: {query: 'ledger balance', limit: 2}}))
      expect(files).not.toContain('src/private')
      expect(files).toContain('src/books/ledger.ts')
      expect(files).toContain('src/books/balance.ts')
      const chunks = text(await client.callTool({name: 'search_codebase', arguments: {query: 'ledger balance'}}))
      expect(chunks).not.toContain('src/private')
      expect(chunks).toMatch(/src\/books\//)
    } finally {
      await client.close()
    }
  })

  it('--project serves another folder; a missing one is a usage error', async () => {
    const result = await runCli(['mcp', 'serve', '--project', path.join(bare.root, 'nope')], {cwd: bare.root})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('is not a directory')
    expect(result.stdout).toBe('')
  })
})
