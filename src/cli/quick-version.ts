import {existsSync, readFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

interface PackageJson {
  name: string
  version?: string
  oclif?: {bin?: string; dirname?: string; hooks?: Record<string, unknown>; plugins?: string[]; jitPlugins?: unknown}
}

/** Hooks oclif runs on the way to printing its version. */
const VERSION_HOOKS = ['init', 'finally']

/**
 * `faithh --version` without loading oclif, when that cannot change the answer. oclif would load
 * every plugin, run their `init` and `finally` hooks and print `config.userAgent`; it costs more than
 * Node's own start, for one line a script greps. So this answers only the exact argv `--version`, when
 * no plugin is installed or linked by the user (oclif's data folder has no package.json), no core
 * plugin has a hook oclif would run, oclif's debug output is not asked for, and oclif names the
 * platform as os.platform() does (Linux but not WSL, or macOS). On any doubt it returns undefined
 * and oclif answers. test/e2e/startup.test.ts checks that both print the same line.
 */
export function quickVersion(root: string, argv: string[], env: NodeJS.ProcessEnv): string | undefined {
  if (argv.length !== 1 || argv[0] !== '--version' || env.DEBUG) return undefined
  if (process.platform !== 'darwin' && (process.platform !== 'linux' || isWsl())) return undefined
  try {
    const pjson = readPackage(path.join(root, 'package.json'))
    const oclif = pjson?.oclif
    if (!pjson?.name || !oclif || oclif.jitPlugins || hasVersionHooks(pjson)) return undefined
    for (const plugin of oclif.plugins ?? []) {
      if (hasVersionHooks(readPackage(path.join(root, 'node_modules', plugin, 'package.json')))) return undefined
    }

    // oclif's scopedEnvVar and dir('data'): where `faithh plugins install` and `link` record plugins.
    const bin = oclif.bin ?? pjson.name
    const scoped = (name: string) => env[`${bin}_${name}`.replaceAll('@', '').replaceAll(/[/-]/g, '_').toUpperCase()]
    if (scoped('DEBUG')) return undefined
    const home = env.HOME || os.homedir() || os.tmpdir()
    const dataDir = scoped('DATA_DIR') || path.join(env.XDG_DATA_HOME || path.join(home, '.local/share'), oclif.dirname ?? pjson.name)
    if (existsSync(path.join(dataDir, 'package.json'))) return undefined
    const arch = os.arch() === 'ia32' ? 'x86' : os.arch()
    return `${pjson.name}/${pjson.version || '0.0.0'} ${process.platform}-${arch} node-${process.version}`
  } catch {
    return undefined
  }
}

/** A package.json, or undefined when it cannot be read: then oclif decides. */
function readPackage(file: string): PackageJson | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson
  } catch {
    return undefined
  }
}

function hasVersionHooks(pjson: PackageJson | undefined): boolean {
  if (!pjson) return true
  return VERSION_HOOKS.some((hook) => pjson.oclif?.hooks?.[hook] !== undefined)
}

/** What is-wsl (which oclif asks) looks at; any sign of WSL leaves the answer to oclif. */
function isWsl(): boolean {
  if (os.release().toLowerCase().includes('microsoft')) return true
  if (existsSync('/proc/sys/fs/binfmt_misc/WSLInterop') || existsSync('/run/WSL')) return true
  try {
    return readFileSync('/proc/version', 'utf8').toLowerCase().includes('microsoft')
  } catch {
    return false
  }
}
