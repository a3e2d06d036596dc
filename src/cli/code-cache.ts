import {isAscii} from 'node:buffer'
import {closeSync, fstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import Module, {createRequire} from 'node:module'
import path from 'node:path'
import vm from 'node:vm'

/**
 * Loads a CommonJS bundle the way `require` does, but with a V8 code cache: the bytecode V8 compiled
 * for it in an earlier run, so a start skips parsing and compiling what it runs (Node 20 has no
 * module.enableCompileCache). One cache file per bundle and `key` (the command: each caches the
 * functions it runs), in a directory of the user's; the bundle's install may be read-only.
 *
 * A cache is used only for the exact file it was made from: its header holds the bundle's size,
 * mtime, ctime and inode and the Node version, and anything else is "stale" (V8 itself checks
 * only the source's length, its own version and its flags: "rejected"). The header also holds a
 * checksum of the cache, checked before V8 sees it: V8 checks none in release builds, and a cache
 * with a zeroed block or a flipped bit crashes the process in its deserializer. A bad or unreadable
 * cache is never an error, only a slower start; `save` rewrites it.
 *
 * A start that finds no valid cache of the user's (a new HOME, a CI container, a cleared cache)
 * uses the bundle's seed, if the build made one (scripts/seed-code-cache.js): the bundle's top
 * level, which every run compiles, in the same format, beside the bundle. It holds less than a
 * cache a run saves, so the second such start saves the user's cache (see `save`).
 */
export type CacheState = 'used' | 'seeded' | 'absent' | 'stale' | 'rejected' | 'off'

export interface LoadedBundle {
  exports: unknown
  cache: CacheState
  /**
   * Writes the cache unless the one used was valid (a first start from the seed only marks it);
   * never throws (a read-only or full disk only means no cache).
   */
  save(): void
}

export interface BundleOptions {
  /** The cache file, or undefined for none (FAITHH_CODE_CACHE=off, or no home to keep it in). */
  cacheFile?: string
  /** The build's cache for the bundle (seedFileOf), read only: used when cacheFile has no valid one. */
  seedFile?: string
}

/** Where the build puts a bundle's seed cache: beside it. */
export const seedFileOf = (bundleFile: string): string => `${bundleFile}.v8cache`

const HEADER_LENGTH_BYTES = 4

/**
 * How scripts/bundle.js writes a bundle: as the function Node wraps a module in, with one more
 * parameter, then called at once, so that `require` runs it as ever. Given the file, boot compiles
 * the function as it stands there (see functionText) and calls it itself.
 *
 * The extra parameter stands for `import()`, which the build rewrites every one to: in code that
 * vm.Script compiled, Node 20 runs `import()` only through an experimental hook that warns, and
 * fails outright once the script comes from a code cache. Given a function compiled the usual way
 * instead, it works.
 */
export const BUNDLE_HEAD = '(function (exports, require, module, __filename, __dirname, __faithhImport) {\n'
export const BUNDLE_CALL = '.call(this, exports, require, module, __filename, __dirname, (specifier) => import(specifier));\n'
const importModule = (specifier: string): Promise<unknown> => import(specifier)

export function loadBundle(file: string, {cacheFile, seedFile}: BundleOptions = {}): LoadedBundle {
  const fd = openSync(file, 'r')
  let source: string
  let stamp: string
  try {
    const stat = fstatSync(fd, {bigint: true})
    stamp = [process.version, process.arch, stat.size, stat.mtimeNs, stat.ctimeNs, stat.ino, stat.dev].join(' ')
    // The build writes bundles in ASCII (scripts/bundle.js): read so, V8 keeps a one-byte string, half the size.
    const bytes = readFileSync(fd)
    source = bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8')
  } finally {
    closeSync(fd)
  }

  const own: {data?: Buffer; state: CacheState} = cacheFile ? readCache(cacheFile, stamp) : {state: 'off'}
  const seed = !own.data && seedFile ? readCache(seedFile, stamp).data : undefined
  const data = own.data ?? seed
  const state = seed ? 'seeded' : own.state
  // Not `own` in `save` below: the closure would keep the cache's bytes (a megabyte) alive all run.
  const firstStart = seed !== undefined && own.state === 'absent'
  const script = new vm.Script(functionText(source), {filename: file, cachedData: data})
  const cache: CacheState = data && script.cachedDataRejected ? 'rejected' : state

  // As `require(file)` would: a module registered under its path, so that `require(file)` elsewhere
  // (the command files of dist/bundle/commands) returns these same exports instead of loading it again.
  const module = new Module(file)
  module.filename = file
  module.paths = (Module as unknown as {_nodeModulePaths(dir: string): string[]})._nodeModulePaths(path.dirname(file))
  const requireCache = (Module as unknown as {_cache: Record<string, Module>})._cache
  requireCache[file] = module
  try {
    const wrapper = script.runInThisContext() as (...args: unknown[]) => void
    wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file), importModule)
  } catch (error) {
    delete requireCache[file]
    throw error
  }

  module.loaded = true
  return {
    exports: module.exports,
    cache,
    save() {
      if (!cacheFile || cache === 'used') return
      try {
        // A first start from the seed only marks the cache file (empty, so "stale"): making a cache
        // costs a start more than the seed saves it, for nothing where the folder is new every time.
        if (cache === 'seeded' && firstStart) markFirstStart(cacheFile)
        else writeCache(cacheFile, stamp, script.createCachedData())
      } catch {
        // No cache this time: the next start compiles again, and tries again to save.
      }
    },
  }
}

/**
 * The module function to compile. A bundle from scripts/bundle.js already is one, called at its end
 * for `require`: without that call it is a slice of the file's string, where wrapping it would copy
 * megabytes into a new one. Anything else is wrapped as Node wraps a module.
 */
function functionText(source: string): string {
  return source.startsWith(BUNDLE_HEAD) && source.endsWith(BUNDLE_CALL) ? source.slice(0, -BUNDLE_CALL.length) : Module.wrap(source)
}

function readCache(cacheFile: string, stamp: string): {data?: Buffer; state: CacheState} {
  let bytes: Buffer
  try {
    bytes = readFileSync(cacheFile)
  } catch {
    return {state: 'absent'}
  }

  if (bytes.length < HEADER_LENGTH_BYTES) return {state: 'stale'}
  const dataStart = HEADER_LENGTH_BYTES + bytes.readUInt32LE(0)
  if (dataStart > bytes.length) return {state: 'stale'}
  const [madeFor, sum] = bytes.toString('latin1', HEADER_LENGTH_BYTES, dataStart).trimEnd().split('\n')
  const data = bytes.subarray(dataStart)
  if (madeFor !== stamp || sum !== checksum(data)) return {state: 'stale'}
  return {data, state: 'used'}
}

/**
 * Written beside and renamed over: concurrent starts never read half a file. The header is padded
 * to whole 32-bit words, so that the checksum reads the cache in place.
 */
function writeCache(cacheFile: string, stamp: string, data: Buffer): void {
  const text = `${stamp}\n${checksum(data)}`
  const headerLength = Math.ceil((HEADER_LENGTH_BYTES + text.length) / 4) * 4 - HEADER_LENGTH_BYTES
  const header = Buffer.alloc(HEADER_LENGTH_BYTES + headerLength, ' ')
  header.writeUInt32LE(headerLength)
  header.write(text, HEADER_LENGTH_BYTES, 'latin1')
  mkdirSync(path.dirname(cacheFile), {recursive: true})
  const partial = `${cacheFile}.${process.pid}-${Math.random().toString(36).slice(2)}.partial`
  try {
    writeFileSync(partial, Buffer.concat([header, data]))
    renameSync(partial, cacheFile)
  } catch (error) {
    rmSync(partial, {force: true})
    throw error
  }
}

/** An empty file where the cache goes, unless one appeared meanwhile: the next start saves the cache. */
function markFirstStart(cacheFile: string): void {
  mkdirSync(path.dirname(cacheFile), {recursive: true})
  closeSync(openSync(cacheFile, 'wx'))
}

/** Fletcher-style sums of 32-bit words: a changed, zeroed or missing word changes them. */
function checksum(bytes: Uint8Array): string {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : new Uint8Array(bytes)
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.length >>> 2)
  let sum = 0
  let sumOfSums = 0
  for (let i = 0; i < words.length; i++) {
    sum = (sum + words[i]!) | 0
    sumOfSums = (sumOfSums + sum) | 0
  }

  for (let i = words.length * 4; i < aligned.length; i++) {
    sum = (sum + aligned[i]!) | 0
    sumOfSums = (sumOfSums + sum) | 0
  }

  return `${aligned.length}:${sum >>> 0}:${sumOfSums >>> 0}`
}
