import {mkdir, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {ConfigError, loadConfig} from '../src/core/config/load.js'
import {normalizeOllamaHost} from '../src/core/config/ollama-host.js'
import {makeProject, type Fixture} from './support/fixture.js'

let project: Fixture | undefined
afterEach(async () => project?.cleanup())

async function withConfig(config: unknown): Promise<string> {
  project = await makeProject({})
  await mkdir(path.join(project.root, '.faithh'))
  await writeFile(path.join(project.root, '.faithh/config.json'), typeof config === 'string' ? config : JSON.stringify(config))
  return project.root
}

describe('configuration precedence: flags > env > file > defaults', () => {
  it('uses the defaults with no file, env or flags', async () => {
    project = await makeProject({})
    const {config, root, file} = await loadConfig({cwd: project.root, env: {}})
    expect(config).toMatchObject({model: 'qwen2.5-coder:7b', host: 'http://127.0.0.1:11434', numCtx: 16_384, maxSteps: 20})
    expect(root).toBe(project.root)
    expect(file).toBeUndefined()
  })

  it.each([
    ['file over defaults', {}, {}, 'file-model'],
    ['env over file', {FAITHH_MODEL: 'env-model'}, {}, 'env-model'],
    ['flag over env', {FAITHH_MODEL: 'env-model'}, {model: 'flag-model'}, 'flag-model'],
    ['undefined flag does not hide env', {FAITHH_MODEL: 'env-model'}, {model: undefined}, 'env-model'],
  ])('%s', async (_name, env, flags, expected) => {
    const root = await withConfig({model: 'file-model', numCtx: 4096})
    const {config} = await loadConfig({cwd: root, env, flags})
    expect(config.model).toBe(expected)
    expect(config.numCtx).toBe(4096)
  })

  it('finds the project root from a subdirectory', async () => {
    const root = await withConfig({maxSteps: 7})
    await mkdir(path.join(root, 'src/deep'), {recursive: true})
    const loaded = await loadConfig({cwd: path.join(root, 'src/deep'), env: {}})
    expect(loaded.root).toBe(root)
    expect(loaded.config.maxSteps).toBe(7)
  })

  it('merges nested tool limits instead of replacing them', async () => {
    const root = await withConfig({tools: {outputChars: 2000}})
    const {config} = await loadConfig({cwd: root, env: {}})
    expect(config.tools).toEqual({outputChars: 2000, readBytes: 262_144, commandTimeoutSeconds: 120, runTimeoutSeconds: 1800})
  })
})

describe('configuration errors name the source, the key and the expectation', () => {
  it.each([
    ['a wrong type', {numCtx: 'big'}, /key "numCtx": expected number, received string/],
    ['a misspelt key', {modle: 'x'}, /unknown key "modle" \(known keys: model, host/],
    ['a nested wrong type', {tools: {readBytes: -1}}, /key "tools.readBytes": Too small/],
    ['a value below the minimum', {numCtx: 512}, /key "numCtx": Too small: expected number to be >=2048/],
    ['invalid JSON', '{"model": ', /cannot parse .*config.json/],
    ['an array', '[]', /must contain a JSON object/],
  ])('%s', async (_name, content, message) => {
    const root = await withConfig(content)
    const error = await loadConfig({cwd: root, env: {}}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain(path.join(root, '.faithh/config.json'))
    expect((error as Error).message).toMatch(message)
  })

  it('rejects a non-numeric FAITHH_NUM_CTX naming the variable', async () => {
    project = await makeProject({})
    await expect(loadConfig({cwd: project.root, env: {FAITHH_NUM_CTX: 'lots'}})).rejects.toThrow('FAITHH_NUM_CTX="lots" must be a whole number')
  })
})

describe('OLLAMA_HOST is read the way Ollama reads it', () => {
  it.each([
    ['127.0.0.1', 'http://127.0.0.1:11434'],
    ['0.0.0.0', 'http://0.0.0.0:11434'],
    ['localhost:11500', 'http://localhost:11500'],
    [':11500', 'http://127.0.0.1:11500'],
    ['http://ollama.lan', 'http://ollama.lan:80'],
    ['https://ollama.example.com', 'https://ollama.example.com:443'],
    ['http://127.0.0.1:11434/', 'http://127.0.0.1:11434'],
    ['https://proxy.lan:8443/ollama', 'https://proxy.lan:8443/ollama'],
    ['[::1]:11434', 'http://[::1]:11434'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeOllamaHost(input)).toBe(expected)
  })

  it('refuses an unsupported scheme', () => {
    expect(() => normalizeOllamaHost('ftp://x')).toThrow('unsupported scheme "ftp"')
  })
})
