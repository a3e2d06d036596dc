import {existsSync} from 'node:fs'
import {mkdir, readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cliFixture} from '../support/cli-fixture.js'

const {project, cli} = await cliFixture({
  fresh: true,
  files: {
    'package.json': JSON.stringify({name: 'app', scripts: {test: 'node --test', build: 'tsc'}}),
    'pnpm-lock.yaml': '',
    'src/index.ts': 'export {}\n',
  },
})

const exists = (rel: string) => existsSync(path.join(project.root, rel))

describe('faithh init (the built CLI, no terminal)', () => {
  it('writes both files and says so; a second run changes nothing and exits 0 too', async () => {
    const first = await cli(['init'])
    expect(first.exitCode, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/^ {2}created AGENTS\.md$/m)
    expect(first.stdout).toMatch(/^ {2}created \.faithh\/config\.json$/m)
    expect(first.stdout).toContain('found: pnpm (pnpm-lock.yaml) · TypeScript 1 · test: pnpm test')
    expect(await readFile(path.join(project.root, 'AGENTS.md'), 'utf8')).toContain('- Test: `pnpm test`')

    const second = await cli(['init', '--json'])
    expect(second.exitCode, second.stderr).toBe(0)
    const report = JSON.parse(second.stdout)
    expect(report).toMatchObject({
      root: project.root,
      files: [
        {path: 'AGENTS.md', action: 'unchanged'},
        {path: '.faithh/config.json', action: 'unchanged'},
      ],
    })
    expect(report.detected.toolchains).toEqual([{name: 'pnpm', evidence: 'pnpm-lock.yaml'}])
  })

  it('--dry-run prints the files it would write and writes nothing', async () => {
    const result = await cli(['init', '--dry-run'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stdout).toContain('would create AGENTS.md')
    expect(result.stdout).toContain('  │ - Test: `pnpm test`')
    expect(result.stdout).toContain('  │   "model": "qwen2.5-coder:7b"')
    expect(exists('AGENTS.md') || exists('.faithh')).toBe(false)
  })

  it('keeps an existing AGENTS.md (exit 0); --force with a config it cannot parse fails with exit 2 and writes nothing', async () => {
    await writeFile(path.join(project.root, 'AGENTS.md'), '# mine\n')
    const kept = await cli(['init'])
    expect(kept.exitCode, kept.stderr).toBe(0)
    expect(kept.stdout).toContain('kept AGENTS.md — it exists; --force replaces it')

    await mkdir(path.join(project.root, '.faithh'), {recursive: true})
    await writeFile(path.join(project.root, '.faithh/config.json'), '{oops')
    const forced = await cli(['init', '--force', '--json'])
    expect(forced.exitCode).toBe(2)
    expect(JSON.parse(forced.stdout)).toMatchObject({error: {code: 'config', message: expect.stringContaining('.faithh/config.json: it is not valid JSON')}})
    expect(forced.stderr).toContain('error: cannot add to .faithh/config.json')
    expect(await readFile(path.join(project.root, 'AGENTS.md'), 'utf8')).toBe('# mine\n')
  })
})
