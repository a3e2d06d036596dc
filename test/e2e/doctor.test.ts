import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {startFakeOllama} from '../support/fake-ollama.js'

// The exit code doctor leaves (it sets process.exitCode under --json rather than exiting), as a
// process ends with it. What doctor reports is tested in process, in test/commands/doctor.test.ts.
const {cli} = await cliFixture()
const doctor = (args: string[], host: string) => cli(['doctor', ...args], {host})

describe('faithh doctor as a process', () => {
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
