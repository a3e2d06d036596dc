import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'

// What only a process shows: the line on stderr and the exit code, and DEBUG, which the debug
// package reads when the process starts. The JSON error shape is tested in process, in test/cli/faithh-command.test.ts.
const {ollama, project, cli} = await cliFixture({files: {'a.txt': 'a\n'}})

describe('one way to fail, as a process', () => {
  it('prints one line on stderr, no stack, and exits with the code of the error', async () => {
    const result = await cli(['search', 'anything'])
    expect(result.exitCode).toBe(8)
    expect(result.stderr.trim()).toBe(`error: no index for ${project.root} — run \`faithh index\` first`)
    expect(result.stdout).toBe('')
  })

  it('DEBUG=faithh* adds the stack and the cause behind the message', async () => {
    const result = await cli(['chat', '--resume', 'no-such-session'], {env: {DEBUG: 'faithh*'}})
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/faithh:error SessionError: no session no-such-session in \.faithh\/sessions/)
    // The bundle's source map: the frame names the TypeScript source and its line.
    expect(result.stderr).toMatch(/^\s+at .*src\/core\/session\/store\.ts:\d+:\d+/m)
    expect(result.stderr).toContain('error: no session no-such-session')
  })

  it('DEBUG=faithh:ollama shows the NDJSON exchanged with Ollama, line by line', async () => {
    ollama.script([{content: 'The answer is 42.'}])
    const result = await cli(['ask', 'what is the answer?'], {env: {DEBUG: 'faithh:ollama'}})
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout.trim()).toBe('The answer is 42.')
    expect(result.stderr).toMatch(/faithh:ollama → POST http:\/\/127\.0\.0\.1:\d+\/api\/chat \{"model":"qwen2\.5-coder:7b","messages":\[/)
    expect(result.stderr).toMatch(/faithh:ollama ← \{"model":"qwen2\.5-coder:7b".*"message":\{"role":"assistant","content":"The answ"\},"done":false\}/)
    expect(result.stderr).toMatch(/faithh:ollama ← \{.*"done":true/)
    // Only that namespace: no error traces.
    expect(result.stderr).not.toContain('faithh:error')
  })
})
