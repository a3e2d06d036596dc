import {execa} from 'execa'
import {execFileSync} from 'node:child_process'
import {copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {beforeAll, describe, expect, it} from 'vitest'

import {CLI_BIN, requireBuild, runCli} from '../support/cli.js'

/**
 * How faithh starts (issue #12): the bundle that bin/run.js loads, its code caches, and `--version`
 * answered without oclif. What a user sees must not change with any of them.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))
const scratch = () => mkdtempSync(path.join(tmpdir(), 'faithh-startup-'))

/** A fresh cache folder and no user plugins, so that each test sees a first run. */
function freshEnv(): Record<string, string> {
  const dir = scratch()
  return {FAITHH_CACHE_DIR: path.join(dir, 'cache'), XDG_DATA_HOME: path.join(dir, 'data')}
}

describe('faithh start-up', () => {
  beforeAll(requireBuild)
  const cwd = tmpdir()

  it('--version prints what oclif prints, without loading it', async () => {
    const env = freshEnv()
    const quick = await runCli(['--version'], {cwd, env})
    // Nothing loaded, nothing cached.
    expect(readdirSync(path.dirname(env.FAITHH_CACHE_DIR!))).toEqual([])
    // DEBUG (matching nothing) sends --version through oclif, which computes its user agent itself.
    const oclif = await runCli(['--version'], {cwd, env: {...env, DEBUG: 'faithh-test:none'}})
    expect(quick).toEqual({exitCode: 0, stdout: oclif.stdout, stderr: ''})
    expect(quick.stdout).toMatch(/^faithh\/\d+\.\d+\.\d+\S* \S+-\S+ node-v\d+/)
  })

  it('--version goes through oclif when a user plugin is installed, with the same answer', async () => {
    const env = freshEnv()
    mkdirSync(path.join(env.XDG_DATA_HOME!, 'faithh'), {recursive: true})
    writeFileSync(path.join(env.XDG_DATA_HOME!, 'faithh', 'package.json'), JSON.stringify({name: 'faithh', private: true, oclif: {plugins: []}}))
    const viaOclif = await runCli(['--version'], {cwd, env})
    expect(viaOclif.exitCode).toBe(0)
    expect(viaOclif.stdout).toBe((await runCli(['--version'], {cwd, env: freshEnv()})).stdout)
    expect(readdirSync(env.FAITHH_CACHE_DIR!)).toEqual(['code-cache'])
  })

  it('lists its commands in order, from the manifest', async () => {
    const help = await runCli(['--help'], {cwd, env: freshEnv()})
    expect(help.exitCode).toBe(0)
    const listed = help.stdout
      .split('COMMANDS\n')[1]!
      .split('\n')
      .flatMap((line) => /^ {2}(\S+)/.exec(line)?.[1] ?? [])
    const manifest = JSON.parse(readFileSync(path.join(root, 'oclif.manifest.json'), 'utf8')) as {commands: Record<string, unknown>}
    const topLevel = Object.keys(manifest.commands).filter((id) => !id.includes(':'))
    expect(listed.filter((name) => name !== 'plugins')).toEqual([...topLevel].sort())
  })

  it('caches compiled code per command, and a damaged cache only costs a slower start', async () => {
    const env = freshEnv()
    const first = await runCli(['--help'], {cwd, env})
    const cacheDir = path.join(env.FAITHH_CACHE_DIR!, 'code-cache')
    const files = readdirSync(cacheDir)
    expect(files).toEqual([expect.stringMatching(/^start-[0-9a-f]{8}-root\.v8cache$/)])
    // The first start ran from the build's seed and only marked the cache; the second saves it.
    expect(readFileSync(path.join(cacheDir, files[0]!))).toHaveLength(0)
    expect(await runCli(['--help'], {cwd, env})).toEqual(first)
    expect(readFileSync(path.join(cacheDir, files[0]!)).length).toBeGreaterThan(10_000)

    for (const file of files) {
      const bytes = readFileSync(path.join(cacheDir, file))
      bytes.fill(0, bytes.length >> 1, (bytes.length >> 1) + 4096)
      writeFileSync(path.join(cacheDir, file), bytes)
    }

    expect(await runCli(['--help'], {cwd, env})).toEqual(first)
    expect(await runCli(['--help'], {cwd, env: {...env, FAITHH_CODE_CACHE: 'off'}})).toEqual(first)
  })

  it('ships a seed cache for every bundle that V8 takes, so a first start compiles less', () => {
    const bundles = [
      path.join(root, 'dist/bundle/start.cjs'),
      ...readdirSync(path.join(root, 'dist/bundle/run'))
        .filter((name) => name.endsWith('.cjs'))
        .map((name) => path.join(root, 'dist/bundle/run', name)),
    ]
    expect(bundles.length).toBeGreaterThan(5)
    // In a plain `node`, as faithh runs: V8 refuses a cache made under other flags.
    const script = `
      const {loadBundle, seedFileOf} = await import(${JSON.stringify(pathToFileURL(path.join(root, 'dist/cli/code-cache.js')).href)})
      const cacheFile = ${JSON.stringify(path.join(scratch(), 'absent.v8cache'))}
      console.log(JSON.stringify(${JSON.stringify(bundles)}.map((file) => loadBundle(file, {cacheFile, seedFile: seedFileOf(file)}).cache)))
    `
    const states = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {encoding: 'utf8', env: {...process.env, NODE_OPTIONS: ''}}),
    )
    expect(states).toEqual(bundles.map(() => 'seeded'))
  })

  it('runs where no cache can be written', async () => {
    const dir = scratch()
    writeFileSync(path.join(dir, 'a-file'), '')
    const blocked = {FAITHH_CACHE_DIR: path.join(dir, 'a-file', 'cache'), HOME: path.join(dir, 'a-file'), XDG_DATA_HOME: path.join(dir, 'data')}
    const help = await runCli(['--help'], {cwd, env: blocked})
    expect(help.exitCode).toBe(0)
    expect(help.stderr).toBe('')
    expect(help.stdout).toContain('COMMANDS')
  })

  it('runs through a symlink, as a global npm install links it', async () => {
    const link = path.join(scratch(), 'faithh')
    symlinkSync(CLI_BIN, link)
    const version = await execa(link, ['--version'], {reject: false, env: freshEnv()})
    expect(version.exitCode).toBe(0)
    const help = await execa(link, ['search', '--help'], {reject: false, env: freshEnv()})
    expect(help.exitCode).toBe(0)
    expect(help.stdout).toContain('USAGE')
  })

  it('says how to build it when the bundle is missing', async () => {
    const bin = path.join(scratch(), 'bin')
    mkdirSync(bin)
    copyFileSync(CLI_BIN, path.join(bin, 'run.js'))
    copyFileSync(path.join(path.dirname(CLI_BIN), 'package.json'), path.join(bin, 'package.json'))
    const result = await execa('node', [path.join(bin, 'run.js'), '--version'], {reject: false})
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toBe('error: faithh is not built (dist/bundle is missing) — run `npm run build` in its folder')
  })
})
