import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'

const {ollama, run} = await cliFixture({
  ollama: {
    models: [
      {name: 'qwen2.5-coder:7b', contextLength: 32_768},
      {name: 'notools:7b', capabilities: ['completion'], contextLength: 8192},
    ],
  },
})

const doctor = (args: string[] = []) => run(['doctor', ...args])

describe('faithh doctor', () => {
  it('reports a ready setup with the context window it will use', async () => {
    const result = await doctor()
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toContain(`Ollama 0.12.6 at ${ollama.url}`)
    expect(result.stdout).toContain('model qwen2.5-coder:7b is pulled')
    expect(result.stdout).toContain('native tool calls supported')
    expect(result.stdout).toContain('context window: 16384 tokens (model maximum 32768)')
  })

  it('gives a machine-readable report with --json', async () => {
    const result = await doctor(['--json', '--model', 'notools:7b'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({ok: true, model: 'notools:7b', toolMode: 'text', dialect: 'hermes', numCtx: 8192, contextLength: 8192})
  })

  it('exits 4 and says how to pull a missing model', async () => {
    const result = await doctor(['--model', 'llama3.1:8b'])
    expect(result.exitCode).toBe(4)
    expect(result.stdout).toContain('model llama3.1:8b is not pulled — run `ollama pull llama3.1:8b`')
    expect(result.stdout).toContain('models: qwen2.5-coder:7b, notools:7b')
  })
})
