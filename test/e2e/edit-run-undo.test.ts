import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {APP, EDIT_PROJECT, greetEdit, makeAppExecutable} from '../support/edit-project.js'
import {UNSANDBOXED_COMMANDS} from '../support/requirements.js'

// What only a process shows: a closed stdin and no terminal, and the command's own exit code passed
// through. The edits, undo and fixes themselves are tested in process, in test/commands/edit-run-undo.test.ts.
const {ollama, project, cli} = await cliFixture({files: EDIT_PROJECT, fresh: true, prepare: makeAppExecutable})
const read = (rel: string) => readFile(path.join(project.root, rel), 'utf8')

describe('faithh edit as a process', () => {
  it('never hangs with stdin closed and no --yes: nothing applied, exit 6', async () => {
    ollama.script(greetEdit())
    const result = await cli(['edit', 'src/app.js', '-i', 'use a template literal'])

    expect(result.exitCode).toBe(6)
    expect(result.stderr).toContain('--yes')
    expect(await read('src/app.js')).toBe(APP)
  })
})

describe('faithh run as a process', () => {
  it('runs an allowed command and exits with its exit code', async () => {
    // Its output as it came is checked in process (test/commands/edit-run-undo.test.ts).
    // About exit codes, not the sandbox: off on purpose, approved by --yes, so that it runs alike everywhere.
    const three = await cli(['run', 'node fail.js', '--yes'], {env: UNSANDBOXED_COMMANDS})
    expect(three.exitCode).toBe(3)
  })

  it('refuses a command that needs confirmation when there is no terminal, naming the flag', async () => {
    const result = await cli(['run', 'touch created.txt'])
    expect(result.exitCode).toBe(6)
    expect(result.stderr).toContain('--yes')
    expect(existsSync(path.join(project.root, 'created.txt'))).toBe(false)
  })
})
