import {readdir, readFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {FaithhCommand} from '../../src/cli/faithh-command.js'

const SRC = fileURLToPath(new URL('../../src/', import.meta.url))

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
