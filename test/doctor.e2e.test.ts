import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {requireBuild, runCli} from './support/cli.js'
import {startFakeOllama, type FakeOllama} from './support/fake-ollama.js'
import {makeProject, type Fixture} from './support/fixture.js'

let ollama: FakeOllama
let project: Fixture

beforeAll(async () => {
  requireBuild()
  ollama = await startFakeOllama({
    models: [
      {name: 'qwen2.5-coder:7b', contextLength: 32_768},
      {name: 'notools:7b', capabilities: ['completion'], contextLength: 8192},
    ],
  })
  project = await makeProject({})
})

afterAll(async () => {
  await ollama.close()
  await project.cleanup()
})

const doctor = (args: string[] = [], host = ollama.url) => runCli(['doctor', ...args], {cwd: project.root, host})

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

  it('exits 3 when Ollama is unreachable, in --json mode too', async () => {
    const gone = await startFakeOllama()
    await gone.close()
    const human = await doctor([], gone.url)
    expect(human.exitCode).toBe(3)
    expect(human.stdout).toContain('start it with `ollama serve`')
    const json = await doctor(['--json'], gone.url)
    expect(json.exitCode).toBe(3)
    expect(JSON.parse(json.stdout)).toMatchObject({ok: false, problems: [{code: 'unreachable'}]})
  })
})
