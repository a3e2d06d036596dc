import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {requireBuild, runCli} from '../support/cli.js'
import {startFakeOllama, type FakeOllama} from '../support/fake-ollama.js'
import {makeProject, type Fixture} from '../support/fixture.js'

let ollama: FakeOllama
let project: Fixture
let badConfig: Fixture

beforeAll(async () => {
  requireBuild()
  ollama = await startFakeOllama({chat: [{content: 'The answer is 42.'}]})
  project = await makeProject({'a.txt': 'a\n'})
  badConfig = await makeProject({'.faithh/config.json': '{"numCtx": "big"}'})
})

afterAll(async () => {
  await ollama.close()
  await project.cleanup()
  await badConfig.cleanup()
})

describe('one way to fail', () => {
  it('prints one line on stderr, no stack, and exits with the code of the error', async () => {
    const result = await runCli(['search', 'anything'], {cwd: project.root, host: ollama.url})
    expect(result.exitCode).toBe(8)
    expect(result.stderr.trim()).toBe(`error: no index for ${project.root} — run \`faithh index\` first`)
    expect(result.stdout).toBe('')
  })

  it.each([
    ['a streaming command', ['ask', 'why?', '--json']],
    ['a command with oclif\'s --json', ['doctor', '--json']],
  ])('under --json, %s prints {"error": {code, message}} on stdout', async (_kind, args) => {
    const result = await runCli(args, {cwd: badConfig.root, host: ollama.url})
    expect(result.exitCode).toBe(2)
    const {error} = JSON.parse(result.stdout)
    expect(error.code).toBe('config')
    expect(error.message).toContain('invalid configuration in')
    expect(error.message).toContain('key "numCtx"')
    // The person watching still gets the line.
    expect(result.stderr).toContain('error: invalid configuration in')
  })

  it('splits the hint from the message in JSON', async () => {
    const result = await runCli(['plan', 'do it', '--json'], {cwd: project.root, host: ollama.url})
    expect(result.exitCode).toBe(6)
    expect(JSON.parse(result.stdout)).toEqual({
      error: {code: 'refused', message: 'a plan and its steps need review and there is no terminal to ask on', hint: 'rerun with --yes to accept them all'},
    })
  })

  it('reports a flag error the same way (exit 2), as JSON when --json was given', async () => {
    const result = await runCli(['ask', 'why?', '--json', '--no-such-flag'], {cwd: project.root, host: ollama.url})
    expect(result.exitCode).toBe(2)
    expect(JSON.parse(result.stdout).error).toMatchObject({code: 'usage', message: expect.stringContaining('Nonexistent flag: --no-such-flag')})
  })

  it('DEBUG=faithh* adds the stack and the cause behind the message', async () => {
    const quiet = await runCli(['doctor', '--json'], {cwd: badConfig.root, host: ollama.url})
    expect(quiet.stderr).not.toMatch(/^\s+at /m)

    const result = await runCli(['chat', '--resume', 'no-such-session'], {cwd: project.root, host: ollama.url, env: {DEBUG: 'faithh*'}})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/faithh:error SessionError: no session no-such-session in \.faithh\/sessions/)
    expect(result.stderr).toMatch(/^\s+at .*store\.js/m)
    expect(result.stderr).toContain('error: no session no-such-session')
  })

  it('DEBUG=faithh:ollama shows the NDJSON exchanged with Ollama, line by line', async () => {
    ollama.script([{content: 'The answer is 42.'}])
    const result = await runCli(['ask', 'what is the answer?'], {cwd: project.root, host: ollama.url, env: {DEBUG: 'faithh:ollama'}})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout.trim()).toBe('The answer is 42.')
    expect(result.stderr).toMatch(/faithh:ollama → POST http:\/\/127\.0\.0\.1:\d+\/api\/chat \{"model":"qwen2\.5-coder:7b","messages":\[/)
    expect(result.stderr).toMatch(/faithh:ollama ← \{"model":"qwen2\.5-coder:7b".*"message":\{"role":"assistant","content":"The answ"\},"done":false\}/)
    expect(result.stderr).toMatch(/faithh:ollama ← \{.*"done":true/)
    // Only that namespace: no error traces.
    expect(result.stderr).not.toContain('faithh:error')
  })
})
