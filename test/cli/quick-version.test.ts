import {Config} from '@oclif/core'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {describe, expect, it} from 'vitest'

import {quickVersion} from '../../src/cli/quick-version.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

function emptyHome(): NodeJS.ProcessEnv {
  const home = mkdtempSync(path.join(tmpdir(), 'faithh-version-'))
  return {HOME: home, XDG_DATA_HOME: path.join(home, 'data')}
}

describe.runIf(process.platform === 'linux' || process.platform === 'darwin')('quickVersion', () => {
  it("prints oclif's own user agent", async () => {
    const config = await Config.load(root)
    expect(quickVersion(root, ['--version'], emptyHome())).toBe(config.userAgent)
  })

  it('leaves every other argv to oclif', () => {
    const env = emptyHome()
    for (const argv of [[], ['--help'], ['-v'], ['version'], ['--version', 'extra'], ['ask', '--version']])
      expect(quickVersion(root, argv, env)).toBeUndefined()
  })

  it('leaves it to oclif when a user plugin could hook in, or debug output is asked for', () => {
    const env = emptyHome()
    mkdirSync(path.join(env.XDG_DATA_HOME!, 'faithh'), {recursive: true})
    writeFileSync(path.join(env.XDG_DATA_HOME!, 'faithh', 'package.json'), JSON.stringify({oclif: {plugins: ['some-plugin']}}))
    expect(quickVersion(root, ['--version'], env)).toBeUndefined()

    const dataDir = mkdtempSync(path.join(tmpdir(), 'faithh-data-'))
    writeFileSync(path.join(dataDir, 'package.json'), '{}')
    expect(quickVersion(root, ['--version'], {...emptyHome(), FAITHH_DATA_DIR: dataDir})).toBeUndefined()

    expect(quickVersion(root, ['--version'], {...emptyHome(), DEBUG: 'faithh*'})).toBeUndefined()
    expect(quickVersion(root, ['--version'], {...emptyHome(), FAITHH_DEBUG: '1'})).toBeUndefined()
  })

  it('leaves it to oclif for a package whose plugins have hooks, or that it cannot read', () => {
    const other = mkdtempSync(path.join(tmpdir(), 'faithh-root-'))
    writeFileSync(path.join(other, 'package.json'), JSON.stringify({name: 'x', version: '1.0.0', oclif: {hooks: {init: './init.js'}}}))
    expect(quickVersion(other, ['--version'], emptyHome())).toBeUndefined()

    writeFileSync(path.join(other, 'package.json'), JSON.stringify({name: 'x', version: '1.0.0', oclif: {plugins: ['missing-plugin']}}))
    expect(quickVersion(other, ['--version'], emptyHome())).toBeUndefined()

    writeFileSync(path.join(other, 'package.json'), JSON.stringify({name: 'x', version: '1.0.0', oclif: {}}))
    expect(quickVersion(other, ['--version'], emptyHome())).toMatch(/^x\/1\.0\.0 /)
    expect(quickVersion(path.join(other, 'nowhere'), ['--version'], emptyHome())).toBeUndefined()
  })
})
