import {describe, expect, it} from 'vitest'

import {configSchema} from '../../src/core/config/schema.js'
import {createRetriever} from '../../src/core/rag/retriever.js'
import {searchCodebaseTool} from '../../src/core/tools/search-codebase.js'
import {defaultToolLimits, runTool} from '../../src/core/tools/tool.js'
import {cliFixture} from '../support/cli-fixture.js'
import {requireChroma, tempProject} from '../support/rag.js'
import {testAccess} from '../support/access.js'

const body = (tag: string) => Array.from({length: 20}, (_, i) => `  const ${tag}${i} = step(${i}, '${tag} value number ${i}')`).join('\n')
const FILES = {
  'src/retry.ts': `/** Retries with exponential backoff. */\nexport function withRetry() {\n${body('retry')}\n}\n`,
  'src/render.ts': `export function renderPage() {\n${body('page')}\n}\n`,
  'README.md': '# demo\n',
}

const RagConfigDefaults = configSchema.parse({}).rag
const chromaUrl = requireChroma()
const {ollama, run} = await cliFixture()
const indexed = await tempProject(FILES)
const plain = await tempProject(FILES)
const index = await run(['index'], {cwd: indexed.root, env: {CHROMA_URL: chromaUrl}})
if (index.exitCode !== 0) throw new Error(`faithh index failed: ${index.stderr}`)

const ask = (root: string, args: string[]) => run(['ask', ...args], {cwd: root, env: {CHROMA_URL: chromaUrl}})

describe('ask with a codebase index', () => {
  it('offers search_codebase and runs it: ranked path:start-end chunks go back to the model', async () => {
    ollama.script([{tool_calls: [{name: 'search_codebase', arguments: {query: 'retry with backoff', path: 'src/**'}}]}, {content: 'See src/retry.ts.'}])
    const result = await ask(indexed.root, ['where is the retry logic?', '--no-rag'])

    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout.trim()).toBe('See src/retry.ts.')
    const [first, second] = ollama.chats()
    expect(first!.tools!.map((t) => t.function.name).sort()).toEqual(['list_directory', 'read_file', 'search_code', 'search_codebase'])
    const tool = second!.messages.find((m) => m.role === 'tool')!
    expect(tool).toMatchObject({tool_name: 'search_codebase'})
    expect(tool.content.split('\n')[0]).toBe('src/retry.ts:1-23 withRetry')
    expect(tool.content).toContain('export function withRetry() {')
    expect(tool.content).not.toContain('README.md')
  })

  it('puts the best-matching chunks in front of the question, within a quarter of the context window', async () => {
    ollama.script([{content: 'It retries.'}])
    const result = await ask(indexed.root, ['how does withRetry work?', '--num-ctx', '4096'])

    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/› index: \d+ chunks \(~\d+ tokens\) added to the question: src\/retry\.ts/)
    const user = ollama.chats()[0]!.messages.at(-1)!
    expect(user.role).toBe('user')
    expect(user.content.startsWith('Code from the project index that may be relevant')).toBe(true)
    expect(user.content).toContain('--- src/retry.ts:1-23\n/** Retries with exponential backoff. */')
    expect(user.content.endsWith('\nQuestion: how does withRetry work?')).toBe(true)
    const code = user.content.slice(0, user.content.lastIndexOf('\nQuestion:'))
    expect(code.length).toBeLessThanOrEqual(4096 * 0.25 * 3.5)
  })

  it('--no-rag sends the question alone (the tool is still offered)', async () => {
    ollama.script([{content: 'ok'}])
    const result = await ask(indexed.root, ['how does withRetry work?', '--no-rag'])
    expect(result.exitCode, result.stderr).toBe(0)
    const first = ollama.chats()[0]!
    expect(first.messages.at(-1)!.content).toBe('how does withRetry work?')
    expect(first.tools!.map((t) => t.function.name)).toContain('search_codebase')
  })

  it('without an index, offers the three usual tools and sends the question alone', async () => {
    ollama.script([{content: 'ok'}])
    const result = await ask(plain.root, ['how does withRetry work?'])
    expect(result.exitCode, result.stderr).toBe(0)
    const first = ollama.chats()[0]!
    expect(first.tools!.map((t) => t.function.name).sort()).toEqual(['list_directory', 'read_file', 'search_code'])
    expect(first.messages.at(-1)!.content).toBe('how does withRetry work?')
  })
})

describe('the search_codebase tool', () => {
  it('says there is no index and what to do instead', async () => {
    const retriever = createRetriever({root: plain.root, host: ollama.url, rag: RagConfigDefaults})
    const result = await runTool(
      searchCodebaseTool,
      {query: 'retry'},
      {root: plain.root, signal: new AbortController().signal, limits: defaultToolLimits, retriever, access: testAccess(plain.root)},
    )
    expect(result).toEqual({
      ok: false,
      kind: 'failed',
      output: 'search_codebase: this project has no index yet (the user can run `faithh index`); use search_code instead',
    })
  })

  it('reports invalid arguments to the model', async () => {
    const retriever = createRetriever({root: indexed.root, host: ollama.url, rag: {...RagConfigDefaults, chromaUrl}})
    const result = await runTool(
      searchCodebaseTool,
      {q: 'retry'},
      {root: indexed.root, signal: new AbortController().signal, limits: defaultToolLimits, retriever, access: testAccess(indexed.root)},
    )
    expect(result.ok).toBe(false)
    expect(result.output).toMatch(/search_codebase: invalid arguments — `query`/)
  })

  it('cuts long results to the output limit with a note', async () => {
    const retriever = createRetriever({root: indexed.root, host: ollama.url, rag: {...RagConfigDefaults, chromaUrl}})
    try {
      const result = await runTool(
        searchCodebaseTool,
        {query: 'value number step'},
        {
          root: indexed.root,
          signal: new AbortController().signal,
          limits: {...defaultToolLimits, outputChars: 1200},
          retriever,
          access: testAccess(indexed.root),
        },
      )
      expect(result.ok).toBe(true)
      expect(result.output.length).toBeLessThanOrEqual(1200)
      expect(result.output).toMatch(/more results cut; narrow with ext or path|more lines: read_file/)
    } finally {
      await retriever.close()
    }
  })
})
