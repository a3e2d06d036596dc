import {existsSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {requireBuild, runCli} from '../support/cli.js'
import {startFakeOllama, type FakeOllama} from '../support/fake-ollama.js'
import {makeProject, type Fixture} from '../support/fixture.js'

let ollama: FakeOllama
let project: Fixture

beforeAll(async () => {
  requireBuild()
  ollama = await startFakeOllama()
  project = await makeProject({
    'math.js': 'export const add = (a, b) => a + b\n',
    // Fails the first time it runs, passes after: a command that passes whatever the agent managed to do.
    'flaky.js': "import {existsSync, writeFileSync} from 'node:fs'\nif (!existsSync('.ran')) { writeFileSync('.ran', ''); console.error('first run fails'); process.exit(1) }\n",
    'package.json': '{"type": "module"}\n',
  })
})

afterAll(async () => {
  await ollama.close()
  await project.cleanup()
})

describe('tool results carry a kind and a summary', () => {
  it('--json events say why each call failed, and the exit code follows from them', async () => {
    ollama.script([
      {
        tool_calls: [
          {name: 'read_file', arguments: {path: 'math.js'}},
          {name: 'read_file', arguments: {path: 'missing.js'}},
          {name: 'read_file', arguments: {path: '/etc/hostname'}},
          {name: 'read_file', arguments: {path: 'math.js', start_line: 'soon'}},
        ],
      },
      {content: 'Done.'},
    ])
    const result = await runCli(['ask', 'look around', '--json'], {cwd: project.root, host: ollama.url})

    const results = result.stdout.trim().split('\n').map((line) => JSON.parse(line)).filter((event) => event.type === 'tool_result')
    expect(results.map(({ok, kind, summary}) => ({ok, kind, summary}))).toEqual([
      {ok: true, kind: undefined, summary: 'read math.js (1 line)'},
      {ok: false, kind: 'not_found', summary: undefined},
      {ok: false, kind: 'needs_approval', summary: undefined},
      {ok: false, kind: 'invalid_arguments', summary: undefined},
    ])
    // The answer came, but a read it wanted could not be approved: exit 6.
    expect(result.exitCode).toBe(6)
  })

  it('the terminal shows the summary and labels the failure', async () => {
    ollama.script([
      {tool_calls: [{name: 'read_file', arguments: {path: 'math.js'}}, {name: 'read_file', arguments: {path: '.env'}}]},
      {content: 'Done.'},
    ])
    const result = await runCli(['ask', 'look'], {cwd: project.root, host: ollama.url})

    expect(result.exitCode, result.stderr).toBe(0) // a denial is the policy working, not something to approve
    expect(result.stderr).toContain('  ✓ read math.js (1 line)')
    expect(result.stderr).toMatch(/ {2}✗ \[denied\] read_file: .*\.env/)
  })

  it('run --fix: the command passed, but a fix nobody could approve still exits 6', async () => {
    ollama.script([{tool_calls: [{name: 'write_file', arguments: {path: 'fix.js', content: 'x\n'}}]}, {content: 'Tried to fix it.'}])
    const result = await runCli(['run', 'node flaky.js', '--fix'], {cwd: project.root, host: ollama.url})

    expect(result.stderr).toContain('[needs approval]')
    expect(result.stderr).toContain('passed after 2 runs')
    expect(existsSync(path.join(project.root, 'fix.js'))).toBe(false)
    expect(result.exitCode).toBe(6)
  })
})
