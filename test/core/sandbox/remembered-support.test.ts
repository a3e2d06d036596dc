import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {rememberedSupport, rememberSupport, supportFingerprint} from '../../../src/core/sandbox/remembered-support.js'
import {sandboxSupport, type SandboxSupport} from '../../../src/core/sandbox/support.js'

const WORKS: SandboxSupport = {backend: 'bwrap', executable: '/usr/bin/bwrap', version: '0.8.0', disableUserns: true, processLimit: {method: 'rlimit'}}

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'faithh-remembered-'))
}

/** A bwrap that notes each start in `log`, then is (or is not) the real one. */
function countingBwrap(dir: string): {bwrap: string; starts: () => number} {
  const log = path.join(dir, 'starts.log')
  const bwrap = path.join(dir, 'bwrap')
  const real = ['/usr/bin/bwrap', '/bin/bwrap'].find((file) => existsSync(file))
  writeFileSync(bwrap, `#!/bin/sh\necho start >> '${log}'\n${real ? `exec ${real} "$@"` : 'echo "bwrap: not here" >&2; exit 1'}\n`)
  chmodSync(bwrap, 0o755)
  return {bwrap, starts: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0)}
}

describe('the remembered sandbox probe', () => {
  it('is used again for the same machine, and not once anything it depends on changed', () => {
    const dir = scratch()
    const env = {FAITHH_CACHE_DIR: path.join(dir, 'cache')}
    const bwrap = path.join(dir, 'bwrap')
    writeFileSync(bwrap, '#!/bin/sh\n')
    const fingerprint = supportFingerprint('linux', bwrap)!
    expect(fingerprint).toBe(supportFingerprint('linux', bwrap))
    expect(rememberedSupport(fingerprint, env)).toBeUndefined()

    rememberSupport(fingerprint, WORKS, env)
    expect(rememberedSupport(fingerprint, env)).toEqual(WORKS)

    // Another bwrap binary (upgraded, or another one named by FAITHH_BWRAP) is another machine.
    utimesSync(bwrap, new Date(2020, 0, 1), new Date(2020, 0, 1))
    const changed = supportFingerprint('linux', bwrap)!
    expect(changed).not.toBe(fingerprint)
    expect(rememberedSupport(changed, env)).toBeUndefined()
  })

  it('expires after a day', () => {
    const env = {FAITHH_CACHE_DIR: scratch()}
    const now = Date.now()
    rememberSupport('fp', WORKS, env, now)
    expect(rememberedSupport('fp', env, now + 23 * 3600_000)).toEqual(WORKS)
    expect(rememberedSupport('fp', env, now + 25 * 3600_000)).toBeUndefined()
    expect(rememberedSupport('fp', env, now - 3600_000)).toBeUndefined()
  })

  it('ignores a corrupt or foreign file, and an unwritable folder is no error', () => {
    const dir = scratch()
    const env = {FAITHH_CACHE_DIR: dir}
    const file = path.join(dir, 'sandbox-support.json')
    for (const content of ['', '{', 'null', '[]', JSON.stringify({fingerprint: 'fp', savedAt: Date.now(), support: {backend: 'bwrap'}})]) {
      writeFileSync(file, content)
      expect(rememberedSupport('fp', env)).toBeUndefined()
    }

    const readOnly = path.join(dir, 'read-only')
    mkdirSync(readOnly, {mode: 0o500})
    expect(() => rememberSupport('fp', WORKS, {FAITHH_CACHE_DIR: path.join(readOnly, 'faithh')})).not.toThrow()
    expect(() => rememberSupport('fp', WORKS, {FAITHH_CACHE_DIR: path.join(file, 'not-a-dir')})).not.toThrow()
  })

  it.runIf(process.platform === 'linux')('spares the next run its two processes; a recheck starts them again', async () => {
    const dir = scratch()
    const {bwrap, starts} = countingBwrap(dir)
    const env = {...process.env, FAITHH_BWRAP: bwrap, FAITHH_CACHE_DIR: path.join(dir, 'cache')}
    const first = await sandboxSupport(env)
    const probed = starts()
    expect(probed).toBeGreaterThanOrEqual(2) // --version, then a sandbox around /bin/true

    // Another PATH is another probe for this process, but the same machine: remembered.
    const again = await sandboxSupport({...env, PATH: `${dir}${path.delimiter}${process.env.PATH}`})
    expect(again).toEqual(first)
    expect(starts()).toBe(probed)

    const rechecked = await sandboxSupport(env, {recheck: true})
    expect(rechecked).toEqual(first)
    expect(starts()).toBeGreaterThan(probed)
  })
})
