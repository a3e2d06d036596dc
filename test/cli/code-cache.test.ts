import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {beforeAll, describe, expect, it} from 'vitest'

import {BUNDLE_CALL, BUNDLE_HEAD, loadBundle, seedFileOf} from '../../src/cli/code-cache.js'
import {requireBuild} from '../support/cli.js'

function scratch(): string {
  return mkdtempSync(path.join(tmpdir(), 'faithh-code-cache-'))
}

/** A bundle as scripts/bundle.js writes one: enough code that V8's cache of it is a real one. */
function writeBundle(dir: string, name: string, body: string): string {
  const functions = Array.from({length: 200}, (_, i) => `function f${i}(x) { return [x, ${i}, String(x).repeat(2)].join('-') }`).join('\n')
  const file = path.join(dir, name)
  writeFileSync(
    file,
    `${BUNDLE_HEAD}${functions}\nexports.all = () => [${Array.from({length: 200}, (_, i) => `f${i}(${i})`).join(', ')}].length\n${body}\n})${BUNDLE_CALL}`,
  )
  return file
}

/**
 * Loads `bundle` with `cacheFile` in a process of its own (the built module) and reports what
 * happened: a bad cache must never crash the process that loads it, and here a crash would take the
 * test runner down with it.
 */
function loadElsewhere(bundle: string, cacheFile: string, seedFile?: string): {cache: string; all: number} {
  const module = fileURLToPath(new URL('../../dist/cli/code-cache.js', import.meta.url))
  const script = `
    const {loadBundle} = await import(${JSON.stringify(pathToFileURL(module).href)})
    const loaded = loadBundle(${JSON.stringify(bundle)}, {cacheFile: ${JSON.stringify(cacheFile)}, seedFile: ${JSON.stringify(seedFile)}})
    loaded.save()
    console.log(JSON.stringify({cache: loaded.cache, all: loaded.exports.all()}))
  `
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8'}))
}

describe('loadBundle', () => {
  beforeAll(requireBuild)

  it('runs a bundle as require would, and uses the cache it saved the time before', () => {
    const dir = scratch()
    const bundle = writeBundle(dir, 'a.cjs', 'exports.value = 42')
    const cacheFile = path.join(dir, 'cache', 'a.v8cache')

    const first = loadBundle(bundle, {cacheFile})
    expect(first.cache).toBe('absent')
    expect((first.exports as {value: number; all(): number}).value).toBe(42)
    expect((first.exports as {all(): number}).all()).toBe(200)
    first.save()
    const saved = statSync(cacheFile).mtimeMs

    const second = loadBundle(bundle, {cacheFile})
    expect(second.cache).toBe('used')
    expect((second.exports as {value: number}).value).toBe(42)
    second.save() // nothing to write: the cache was good
    expect(statSync(cacheFile).mtimeMs).toBe(saved)

    expect(loadBundle(bundle).cache).toBe('off')
    expect(createRequire(import.meta.url)(bundle).value).toBe(42)
  })

  it('calls import() from a bundle, also once the bundle comes from its cache', async () => {
    const dir = scratch()
    const target = path.join(dir, 'target.mjs')
    writeFileSync(target, 'export default "imported"\n')
    const bundle = writeBundle(dir, 'b.cjs', `exports.load = () => __faithhImport(${JSON.stringify(pathToFileURL(target).href)})`)
    const cacheFile = path.join(dir, 'b.v8cache')
    const first = loadBundle(bundle, {cacheFile})
    expect(await (first.exports as {load(): Promise<{default: string}>}).load()).toMatchObject({default: 'imported'})
    first.save()

    const second = loadBundle(bundle, {cacheFile})
    expect(second.cache).toBe('used')
    expect(await (second.exports as {load(): Promise<{default: string}>}).load()).toMatchObject({default: 'imported'})
    expect(await createRequire(import.meta.url)(bundle).load()).toMatchObject({default: 'imported'})
  })

  it('does not use the cache of another version of the bundle', () => {
    const dir = scratch()
    const cacheFile = path.join(dir, 'c.v8cache')
    loadBundle(writeBundle(dir, 'c.cjs', 'exports.value = 1'), {cacheFile}).save()
    const changed = loadBundle(writeBundle(dir, 'c.cjs', 'exports.value = 2'), {cacheFile})
    expect(changed.cache).toBe('stale')
    expect((changed.exports as {value: number}).value).toBe(2)
  })

  it.each([
    ['cut in half', (bytes: Buffer) => bytes.subarray(0, bytes.length >> 1)],
    ['with a zeroed block', (bytes: Buffer) => Buffer.concat([bytes.subarray(0, 200), Buffer.alloc(4096), bytes.subarray(4296)])],
    ['with its last bytes zeroed', (bytes: Buffer) => Buffer.concat([bytes.subarray(0, -100), Buffer.alloc(100)])],
    ['with one bit flipped', (bytes: Buffer) => Buffer.from(bytes.map((byte, i) => (i === bytes.length >> 1 ? byte ^ 1 : byte)))],
    ['with bytes appended', (bytes: Buffer) => Buffer.concat([bytes, Buffer.from('garbage')])],
    ['replaced by text', () => Buffer.from('not a cache\n')],
    ['empty', () => Buffer.alloc(0)],
  ])('ignores a cache %s and writes a good one', (_, corrupt) => {
    const dir = scratch()
    const bundle = writeBundle(dir, 'd.cjs', 'exports.value = 1')
    const cacheFile = path.join(dir, 'd.v8cache')
    expect(loadElsewhere(bundle, cacheFile)).toEqual({cache: 'absent', all: 200})
    writeFileSync(cacheFile, corrupt(readFileSync(cacheFile)))
    expect(loadElsewhere(bundle, cacheFile)).toEqual({cache: 'stale', all: 200})
    expect(loadElsewhere(bundle, cacheFile)).toEqual({cache: 'used', all: 200})
  })

  it('starts from the seed while the user has no cache; the second such start saves one', () => {
    const dir = scratch()
    const bundle = writeBundle(dir, 'f.cjs', 'exports.value = 7')
    const seedFile = seedFileOf(bundle)
    loadBundle(bundle, {cacheFile: seedFile}).save() // as scripts/seed-code-cache.js makes it
    const cacheFile = path.join(dir, 'cache', 'f.v8cache')

    const first = loadBundle(bundle, {cacheFile, seedFile})
    expect(first.cache).toBe('seeded')
    expect((first.exports as {value: number; all(): number}).value).toBe(7)
    expect((first.exports as {all(): number}).all()).toBe(200)
    first.save()
    // Only marked: a folder that is new at every start never pays for writing a cache.
    expect(readFileSync(cacheFile)).toHaveLength(0)

    const second = loadBundle(bundle, {cacheFile, seedFile})
    expect(second.cache).toBe('seeded')
    second.save()
    expect(loadBundle(bundle, {cacheFile, seedFile}).cache).toBe('used')
    // Without a cache folder (FAITHH_CODE_CACHE=off), boot passes no seed either.
    expect(loadBundle(bundle).cache).toBe('off')
  })

  it('ignores a seed made for another version of the bundle, or damaged, and saves the cache at once', () => {
    const dir = scratch()
    const seedFile = path.join(dir, 'g.cjs.v8cache')
    loadBundle(writeBundle(dir, 'g.cjs', 'exports.value = 1'), {cacheFile: seedFile}).save()
    const bundle = writeBundle(dir, 'g.cjs', 'exports.value = 2')
    const cacheFile = path.join(dir, 'cache', 'g.v8cache')
    expect(loadElsewhere(bundle, cacheFile, seedFile)).toEqual({cache: 'absent', all: 200})
    expect(loadElsewhere(bundle, cacheFile, seedFile)).toEqual({cache: 'used', all: 200})

    const other = writeBundle(dir, 'h.cjs', 'exports.value = 3')
    loadBundle(other, {cacheFile: seedFileOf(other)}).save()
    const bytes = readFileSync(seedFileOf(other))
    writeFileSync(seedFileOf(other), Buffer.concat([bytes.subarray(0, 200), Buffer.alloc(4096), bytes.subarray(4296)]))
    expect(loadElsewhere(other, path.join(dir, 'cache', 'h.v8cache'), seedFileOf(other))).toEqual({cache: 'absent', all: 200})
  })

  it('runs without a cache where none can be written', () => {
    const dir = scratch()
    const bundle = writeBundle(dir, 'e.cjs', 'exports.value = 1')
    const blocker = path.join(dir, 'a-file')
    writeFileSync(blocker, '')
    const loaded = loadBundle(bundle, {cacheFile: path.join(blocker, 'cache', 'e.v8cache')})
    expect(loaded.cache).toBe('absent')
    expect(() => loaded.save()).not.toThrow()
  })
})
