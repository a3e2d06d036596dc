import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {ConfigError, loadConfig, userConfigFile} from '../../../src/core/config/load.js'
import {normalizeOllamaHost} from '../../../src/core/config/ollama-host.js'
import {makeProject, type Fixture} from '../../support/fixture.js'

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

  it('accepts the $schema key editors use, and ignores it', async () => {
    const root = await withConfig({$schema: '../node_modules/faithh/schema/config.schema.json', model: 'file-model'})
    const {config} = await loadConfig({cwd: root, env: {}})
    expect(config.model).toBe('file-model')
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

describe('the user config (~/.config/faithh/config.json) under the project file', () => {
  let home: string | undefined
  afterEach(async () => {
    if (home) await rm(home, {recursive: true, force: true})
    home = undefined
  })

  async function withUserConfig(config: unknown, dir = '.config/faithh'): Promise<string> {
    home = await mkdtemp(path.join(tmpdir(), 'faithh-home-'))
    await mkdir(path.join(home, dir), {recursive: true})
    await writeFile(path.join(home, dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config))
    return home
  }

  it.each([
    ['HOME', {HOME: '/h'}, '/h/.config/faithh/config.json'],
    ['XDG_CONFIG_HOME over HOME', {HOME: '/h', XDG_CONFIG_HOME: '/x'}, '/x/faithh/config.json'],
    ['a relative XDG_CONFIG_HOME, ignored as the spec says', {HOME: '/h', XDG_CONFIG_HOME: 'rel'}, '/h/.config/faithh/config.json'],
    ['no home at all', {}, undefined],
  ])('is found from %s', (_name, env, expected) => {
    expect(userConfigFile(env)).toBe(expected)
  })

  it('applies under the project file and the environment: defaults < user < project < env < flags', async () => {
    const HOME = await withUserConfig({model: 'user-model', maxSteps: 3, numCtx: 4096})
    const root = await withConfig({maxSteps: 9})
    const {config, userFile} = await loadConfig({cwd: root, env: {HOME, FAITHH_NUM_CTX: '8192'}})
    expect(config).toMatchObject({model: 'user-model', maxSteps: 9, numCtx: 8192})
    expect(userFile).toBe(path.join(HOME, '.config/faithh/config.json'))
  })

  it('is read from XDG_CONFIG_HOME when set', async () => {
    const dir = await withUserConfig({model: 'xdg-model'}, 'xdg/faithh')
    project = await makeProject({})
    const {config} = await loadConfig({cwd: project.root, env: {HOME: '/nonexistent', XDG_CONFIG_HOME: path.join(dir, 'xdg')}})
    expect(config.model).toBe('xdg-model')
  })

  it('merges mcpServers by name: the project adds servers, and replaces one of the same name whole', async () => {
    const HOME = await withUserConfig({mcpServers: {github: {command: 'gh-mcp', env: {T: '1'}}, shared: {command: 'user-version', permission: 'allow'}}})
    const root = await withConfig({mcpServers: {shared: {command: 'project-version'}, local: {url: 'http://127.0.0.1:9/mcp'}}})
    const {config} = await loadConfig({cwd: root, env: {HOME}})
    expect(Object.keys(config.mcpServers).sort()).toEqual(['github', 'local', 'shared'])
    expect(config.mcpServers.shared).toMatchObject({command: 'project-version', permission: 'ask'})
    expect(config.mcpServers.github).toMatchObject({command: 'gh-mcp', env: {T: '1'}})
  })

  it('names the user file when it is invalid', async () => {
    const HOME = await withUserConfig({mcpServers: {s: {command: 'x', permission: 'sometimes'}}})
    project = await makeProject({})
    const error = await loadConfig({cwd: project.root, env: {HOME}}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toContain(path.join(HOME, '.config/faithh/config.json'))
    expect((error as Error).message).toContain('mcpServers.s.permission')
  })

  it('is not read when the environment names no home (tests, sandboxes)', async () => {
    await withUserConfig({model: 'user-model'})
    project = await makeProject({})
    const {config, userFile} = await loadConfig({cwd: project.root, env: {}})
    expect(config.model).toBe('qwen2.5-coder:7b')
    expect(userFile).toBeUndefined()
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
