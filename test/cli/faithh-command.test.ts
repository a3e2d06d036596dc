import {readdir, readFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {FaithhCommand} from '../../src/cli/faithh-command.js'
import {cliFixture} from '../support/cli-fixture.js'
import {makeProject} from '../support/fixture.js'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))
const {run: runIn} = await cliFixture({files: {'a.txt': 'a\n'}})
const run = (args: string[], cwd?: string) => runIn(args, cwd ? {cwd} : {})

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(path.join(SRC, dir), {recursive: true, withFileTypes: true})
  return entries.filter((entry) => entry.isFile() && entry.name.endsWith('.ts')).map((entry) => path.relative(SRC, path.join(entry.parentPath, entry.name)))
}

describe('one way to fail', () => {
  it('every command extends FaithhCommand, so its failures go through the one catch()', async () => {
    const commands = await sourceFiles('commands')
    expect(commands.length).toBeGreaterThanOrEqual(11)
    for (const file of commands) {
      const {default: command} = (await import(path.join(SRC, file))) as {default: unknown}
      expect(typeof command === 'function' && command.prototype instanceof FaithhCommand, file).toBe(true)
    }
  })

  it('no front end sorts errors by class: outside src/core nothing tests `instanceof …Error`', async () => {
    const offenders: string[] = []
    for (const dir of ['cli', 'commands', 'render', 'server']) {
      for (const file of await sourceFiles(dir)) {
        const text = await readFile(path.join(SRC, file), 'utf8')
        for (const match of text.matchAll(/instanceof \w*Error\b/g)) offenders.push(`${file}: ${match[0]}`)
      }
    }

    expect(offenders).toEqual([])
  })

  it('no command wraps its work in try/catch to render errors itself', async () => {
    const offenders: string[] = []
    for (const file of await sourceFiles('commands')) {
      const text = await readFile(path.join(SRC, file), 'utf8')
      if (/\}\s*catch\b/.test(text)) offenders.push(file)
    }

    expect(offenders).toEqual([])
  })
})

describe('the one catch(), through the commands', () => {
  it.each([
    ['a streaming command', ['ask', 'why?', '--json']],
    ["a command with oclif's --json", ['doctor', '--json']],
  ])('under --json, %s prints {"error": {code, message}} on stdout, and the line on stderr', async (_kind, args) => {
    await using bad = await makeProject({'.faithh/config.json': '{"numCtx": "big"}'})
    const result = await run(args, bad.root)
    expect(result.exitCode).toBe(2)
    const {error} = JSON.parse(result.stdout)
    expect(error.code).toBe('config')
    expect(error.message).toContain('invalid configuration in')
    expect(error.message).toContain('key "numCtx"')
    // The person watching still gets the line.
    expect(result.stderr).toContain('error: invalid configuration in')
  })

  it('splits the hint from the message in JSON', async () => {
    const result = await run(['plan', 'do it', '--json'])
    expect(result.exitCode).toBe(6)
    expect(JSON.parse(result.stdout)).toEqual({
      error: {code: 'refused', message: 'a plan and its steps need review and there is no terminal to ask on', hint: 'rerun with --yes to accept them all'},
    })
  })

  it('reports a flag error the same way (exit 2), as JSON when --json was given', async () => {
    const result = await run(['ask', 'why?', '--json', '--no-such-flag'])
    expect(result.exitCode).toBe(2)
    expect(JSON.parse(result.stdout).error).toMatchObject({code: 'usage', message: expect.stringContaining('Nonexistent flag: --no-such-flag')})
    expect(result.stderr).toContain('error: Nonexistent flag: --no-such-flag')
  })

  it('without DEBUG, no stack', async () => {
    const result = await run(['chat', '--resume', 'no-such-session'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr.trim()).toBe('error: no session no-such-session in .faithh/sessions — `faithh chat --list` shows them')
  })
})
