import {existsSync, writeSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'

import {faithhCacheDir} from '../core/cache-dir.js'
import {type LoadedBundle, loadBundle, seedFileOf} from './code-cache.js'
import {quickVersion} from './quick-version.js'

interface StartBundle {
  /** `loadCommand` gets the file name of a command's bundle in dist/bundle/run. */
  start(options: {loadCommand(file: string): unknown}): Promise<unknown>
}

/**
 * What `faithh` runs first (bin/run.js, through dist/bundle/boot.cjs): loads start.cjs (oclif) and,
 * once oclif asks for a command, that command's bundle (run/<id>.cjs), each with the code cache of
 * the command about to run (scripts/bundle.js says what is in each), or on a first start with the
 * seed the build made for the bundle. A cache is saved after a run that exited 0, so that it holds
 * what a successful run of that command compiles, not an error path. `--version` is answered
 * without oclif where oclif would print the same (quick-version.ts).
 *
 * With DEBUG set, the bundles are required as they are, with Node's source maps on: the stack traces
 * DEBUG=faithh* prints then point into src/ (Node maps only the modules it loads itself). A slower
 * start, for a run that is about finding out what happened.
 */
export function boot(bundleDir: string, argv = process.argv.slice(2), env = process.env): void {
  const version = quickVersion(path.resolve(bundleDir, '../..'), argv, env)
  if (version !== undefined && writeLine(version)) return
  if (env.DEBUG) {
    process.setSourceMapsEnabled(true)
    const required = (name: string) => createRequire(path.join(bundleDir, name))(path.join(bundleDir, name)) as unknown
    ;(required('start.cjs') as StartBundle).start({loadCommand: (file) => required(path.join('run', file))})
    return
  }

  const dir = codeCacheDir(env)
  const key = cacheKey(argv, bundleDir)
  const loaded: LoadedBundle[] = []
  const load = (name: string) => {
    const file = path.join(bundleDir, name)
    const cacheFile = dir && path.join(dir, `${path.basename(name, '.cjs')}-${pathHash(file)}-${key}.v8cache`)
    const bundle = loadBundle(file, {cacheFile, seedFile: dir && seedFileOf(file)})
    loaded.push(bundle)
    return bundle.exports
  }

  process.once('exit', (code) => {
    if (code === 0) for (const bundle of loaded) bundle.save()
  })
  ;(load('start.cjs') as StartBundle).start({loadCommand: (file) => load(path.join('run', file))})
}

/**
 * Which cache a run uses: its command, from the first argument, or the first two for a command in a
 * topic (`mcp list`: dist/bundle/commands/mcp/list.cjs exists); `root` for `--help` and no
 * arguments. A mistyped command fails, and a failed run saves nothing.
 */
export function cacheKey(argv: string[], bundleDir: string): string {
  const [first, second] = argv
  const word = /^[a-z][a-z0-9-]{0,40}$/
  if (!first || !word.test(first)) return 'root'
  return second && word.test(second) && existsSync(path.join(bundleDir, 'commands', first, `${second}.cjs`)) ? `${first}-${second}` : first
}

/** Where the caches live: code-cache/ in faithh's cache folder. FAITHH_CODE_CACHE=off turns them off. */
export function codeCacheDir(env: NodeJS.ProcessEnv, platform = process.platform): string | undefined {
  if (['off', '0', 'false'].includes(env.FAITHH_CODE_CACHE?.toLowerCase() ?? '')) return undefined
  return path.join(faithhCacheDir(env, platform), 'code-cache')
}

/** FNV-1a of the bundle's path: two installs (or checkouts) of faithh keep separate caches. */
function pathHash(file: string): string {
  let hash = 0x811c9dc5
  for (let i = 0; i < file.length; i++) hash = Math.imul(hash ^ file.charCodeAt(i), 0x01000193)
  return (hash >>> 0).toString(16).padStart(8, '0')
}

/** Straight to stdout, as a native program writes: a stream would load more than the rest of the answer. */
function writeLine(line: string): boolean {
  try {
    writeSync(1, `${line}\n`)
    return true
  } catch {
    // stdout is a full non-blocking pipe, or closed: oclif's answer goes through process.stdout instead.
    return false
  }
}
