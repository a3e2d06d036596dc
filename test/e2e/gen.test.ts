import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'
import {GEN_PROJECT, projectFiles} from '../support/gen-project.js'
import {KEYS, runInTerminal} from '../support/terminal.js'

// What only a process shows: no terminal to ask on, a terminal that asks. What gen makes of
// templates, variables and the model's edits is tested in process, in test/commands/gen.test.ts.
const {project, cli} = await cliFixture({files: GEN_PROJECT, fresh: true})
const read = (rel: string) => readFile(path.join(project.root, rel), 'utf8')
const files = () => projectFiles(project.root)

describe('faithh gen as a process', () => {
  it('without a terminal, names the missing variables and writes nothing (exit 2)', async () => {
    const before = await files()
    const result = await cli(['gen', 'api_endpoint', '--yes'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('missing required variable name (no terminal to ask on)')
    expect(result.stderr).toContain('--var name=VALUE')
    expect(await files()).toEqual(before)
  })

  it('shows the diff; without --yes and without a terminal writes nothing (exit 6)', async () => {
    await mkdir(path.join(project.root, 'test'))
    await writeFile(path.join(project.root, 'test/slugify.test.ts'), 'old\n')
    const refused = await cli(['gen', 'test_function', '--var', 'name=slugify'])
    expect(refused.exitCode).toBe(6)
    expect(refused.stderr).toContain('change test/slugify.test.ts')
    expect(refused.stdout).toContain('-old')
    expect(refused.stdout).toContain("+import { slugify } from '../src/slugify.js'")
    expect(refused.stderr).toContain('--yes')
    expect(await read('test/slugify.test.ts')).toBe('old\n')
  })
})

describe('faithh gen at a terminal', () => {
  it('asks for a missing variable, then for the write', async () => {
    const {exitCode, output} = await runInTerminal(
      ['gen', 'test_function'],
      [
        ['name —', 'slug/ify\r'],
        ['not a name', `${KEYS.clearLine}slugify\r`],
        ['Apply this change?', '\r'],
      ],
      {cwd: project.root},
    )
    expect(exitCode, output).toBe(0)
    expect(await read('test/slugify.test.ts')).toContain("import { slugify } from '../src/slugify.js'")
  })
})
