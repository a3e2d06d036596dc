import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {requireChroma} from '../support/rag.js'

const body = (tag: string) => Array.from({length: 20}, (_, i) => `  const ${tag}${i} = step(${i}, '${tag} value number ${i}')`).join('\n')
const FILES = {
  'src/retry.ts': `/** Retries with exponential backoff. */\nexport function withRetry() {\n${body('retry')}\n}\n`,
  'src/render.ts': `export function renderPage() {\n${body('page')}\n}\n`,
}

const chromaUrl = requireChroma()
const {ollama, run} = await cliFixture({files: FILES, ollama: {chat: (request) => (request.format ? {content: 'not a plan'} : {content: 'unexpected'})}})
const indexed = await run(['index'], {env: {CHROMA_URL: chromaUrl}})
if (indexed.exitCode !== 0) throw new Error(`faithh index failed: ${indexed.stderr}`)
ollama.requests.length = 0

describe('faithh plan with a codebase index', () => {
  it('puts the indexed code that matches the task in front of the planner', async () => {
    ollama.requests.length = 0
    const result = await run(['plan', 'make the retry backoff exponential with jitter', '--yes'], {env: {CHROMA_URL: chromaUrl}})

    // The model never gives a plan here: what matters is what the planner was sent.
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('planning with code from src/retry.ts')
    const prompt = ollama.chats()[0]!.messages.at(-1)!.content
    expect(prompt).toContain('Code from the project index that may be relevant')
    expect(prompt).toContain('--- src/retry.ts:1-')
    expect(prompt).toContain('export function withRetry() {')
    expect(prompt.indexOf('export function withRetry')).toBeLessThan(prompt.indexOf('Task: make the retry backoff'))
  })
})
