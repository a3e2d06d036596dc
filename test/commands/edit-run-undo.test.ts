import {applyPatch} from 'diff'
import {readFile, stat, writeFile} from 'node:fs/promises'
import {existsSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {APP, EDIT_PROJECT, greetEdit, makeAppExecutable, MATH} from '../support/edit-project.js'
import {needsSandbox, UNSANDBOXED_COMMANDS} from '../support/requirements.js'

const {ollama, project, run} = await cliFixture({files: EDIT_PROJECT, fresh: true, prepare: makeAppExecutable})
const cli = (args: string[], options: {env?: Record<string, string>} = {}) => run(args, options)
const read = (rel: string) => readFile(path.join(project.root, rel), 'utf8')

describe('faithh edit', () => {
  it('--dry-run prints the diff and writes nothing', async () => {
    ollama.script(greetEdit())
    const result = await cli(['edit', 'src/app.js', '-i', 'use a template literal', '--dry-run'])

    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toContain('--- a/src/app.js')
    expect(result.stdout).toContain('-  return "hello " + name')
    expect(result.stdout).toContain('+  return `hello, ${name}!`')
    expect(await read('src/app.js')).toBe(APP)
    expect(existsSync(path.join(project.root, '.faithh/undo'))).toBe(false)
    // The file was inlined in the first message: no read_file round-trip needed.
    expect(ollama.chats()[0]!.messages.at(-1)!.content).toContain('return "hello " + name')
  })

  it('--yes writes exactly the diff, keeping CRLF and the file mode', async () => {
    ollama.script(greetEdit())
    const result = await cli(['edit', 'src/app.js', '-i', 'use a template literal', '--yes', '--json'])

    expect(result.exitCode, result.stderr).toBe(0)
    const json = JSON.parse(result.stdout)
    expect(json).toMatchObject({file: 'src/app.js', applied: true, files: ['src/app.js']})
    const after = await read('src/app.js')
    expect(after).toBe('export function greet(name) {\r\n  return `hello, ${name}!`\r\n}\r\n')
    expect(applyPatch(APP, json.diff)).toBe(after)
    expect((await stat(path.join(project.root, 'src/app.js'))).mode & 0o777).toBe(0o755)
  })

  it('fails with the reason when the model never produces a valid edit', async () => {
    ollama.script([
      {tool_calls: [{name: 'edit_file', arguments: {path: 'src/app.js', old_text: 'return "goodbye"', new_text: 'x'}}]},
      {content: 'I could not find the code to change.'},
    ])
    const result = await cli(['edit', 'src/app.js', '-i', 'change goodbye'])

    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('the model made no change to src/app.js')
    const toolResult = ollama.chats()[1]!.messages.find((m) => m.role === 'tool')!
    expect(toolResult.content).toContain('return "hello " + name') // the closest candidate, shown to the model
    expect(await read('src/app.js')).toBe(APP)
  })

  it('refuses a file outside the project', async () => {
    const result = await cli(['edit', '../outside.js', '-i', 'anything', '--yes'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toMatch(/outside/)
    expect(ollama.chats()).toHaveLength(0)
  })
})

describe('faithh undo', () => {
  it('restores the last run byte for byte and removes files it created', async () => {
    ollama.script([
      {tool_calls: [{name: 'edit_file', arguments: {path: 'src/app.js', old_text: 'hello', new_text: 'hi'}}]},
      {tool_calls: [{name: 'write_file', arguments: {path: 'src/new.js', content: 'export const x = 1\n'}}]},
      {content: 'done'},
    ])
    const edit = await cli(['edit', 'src/app.js', '-i', 'shorter greeting and add x', '--yes'])
    expect(edit.exitCode, edit.stderr).toBe(0)
    expect(await read('src/app.js')).toContain('"hi "')
    expect(await read('src/new.js')).toBe('export const x = 1\n')

    const undo = await cli(['undo'])
    expect(undo.exitCode, undo.stderr).toBe(0)
    expect(undo.stdout).toContain('restored src/app.js')
    expect(undo.stdout).toContain('removed src/new.js')
    expect(await read('src/app.js')).toBe(APP)
    expect((await stat(path.join(project.root, 'src/app.js'))).mode & 0o777).toBe(0o755)
    expect(existsSync(path.join(project.root, 'src/new.js'))).toBe(false)

    expect((await cli(['undo'])).stdout).toContain('nothing to undo')
  })

  it('does not clobber a file changed since faithh wrote it, unless --force', async () => {
    ollama.script(greetEdit())
    expect((await cli(['edit', 'src/app.js', '-i', 'template literal', '--yes'])).exitCode).toBe(0)
    await writeFile(path.join(project.root, 'src/app.js'), 'user edit\n')

    const undo = await cli(['undo', '--json'])
    expect(undo.exitCode).toBe(1)
    expect(JSON.parse(undo.stdout).files).toEqual([{rel: 'src/app.js', action: 'skipped', reason: expect.stringContaining('--force')}])
    expect(await read('src/app.js')).toBe('user edit\n')
  })
})

describe('faithh run', () => {
  it("passes the command's output and exit code through", async () => {
    // About the output, not the sandbox: off on purpose, approved by --yes, so that it runs alike everywhere.
    const pass = await cli(['run', 'node test.js', '--yes'], {env: UNSANDBOXED_COMMANDS})
    expect(pass.exitCode).toBe(1)
    expect(pass.stderr).toContain('add(2, 3) returned -1, expected 5')
  })

  it('never runs a denied command', async () => {
    const result = await cli(['run', 'ls; sudo rm -rf ~', '--yes'])
    expect(result.exitCode).toBe(6)
    expect(result.stderr).toMatch(/not run: .*sudo/)
  })

  it('--fix: the agent fixes the code from the failure output and the command passes', async () => {
    ollama.script([
      {tool_calls: [{name: 'read_file', arguments: {path: 'math.js'}}]},
      {tool_calls: [{name: 'edit_file', arguments: {path: 'math.js', old_text: 'return a - b', new_text: 'return a + b'}}]},
      {content: 'add() subtracted; it now adds.'},
    ])
    // About the fix loop, not the sandbox (test/e2e/sandbox-run.test.ts): off on purpose, approved by --yes.
    const result = await cli(['run', 'node test.js', '--fix', '--yes', '--json'], {env: UNSANDBOXED_COMMANDS})

    expect(result.exitCode, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual({
      command: 'node test.js',
      passed: true,
      exitCode: 0,
      runs: 2,
      changed: ['math.js'],
      sandbox: expect.objectContaining({enabled: false, backend: null, mode: 'off', network: 'full'}),
    })
    expect(await read('math.js')).toBe('export function add(a, b) {\n  return a + b\n}\n')
    // The model was given the failing output.
    expect(ollama.chats()[0]!.messages.at(-1)!.content).toContain('add(2, 3) returned -1, expected 5')
  })

  // A command that runs without anybody to ask, and a fix that needs someone: only a sandbox lets the first happen.
  it.skipIf(!needsSandbox('run --fix with a fix nobody could approve'))('--fix: the command passed, but a fix nobody could approve still exits 6', async () => {
    // Fails the first time it runs, passes after: a command that passes whatever the agent managed to do.
    await writeFile(
      path.join(project.root, 'flaky.js'),
      "import {existsSync, writeFileSync} from 'node:fs'\nif (!existsSync('.ran')) { writeFileSync('.ran', ''); console.error('first run fails'); process.exit(1) }\n",
    )
    ollama.script([{tool_calls: [{name: 'write_file', arguments: {path: 'fix.js', content: 'x\n'}}]}, {content: 'Tried to fix it.'}])
    const result = await cli(['run', 'node flaky.js', '--fix'])

    expect(result.stderr).toContain('[needs approval]')
    expect(result.stderr).toContain('passed after 2 runs')
    expect(existsSync(path.join(project.root, 'fix.js'))).toBe(false)
    expect(result.exitCode).toBe(6)
  })
})

describe('faithh run --fix without a terminal', () => {
  it('--fix without a terminal or --yes: the write is refused, nothing changes, non-zero exit', async () => {
    ollama.script([
      {tool_calls: [{name: 'edit_file', arguments: {path: 'math.js', old_text: 'return a - b', new_text: 'return a + b'}}]},
      {content: 'Tried to fix it.'},
    ])
    // A read-only check (grep) runs without asking anybody, sandbox or not: the write is what nobody can approve.
    const result = await cli(['run', 'grep -q "a + b" math.js', '--fix', '--max-attempts', '1'])

    expect(result.exitCode).toBe(1)
    expect(await read('math.js')).toBe(MATH)
    const toolResult = ollama.chats()[1]!.messages.find((m) => m.role === 'tool')!
    expect(toolResult.content).toContain('no terminal')
  })
})
