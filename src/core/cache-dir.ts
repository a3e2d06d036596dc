import {homedir} from 'node:os'
import path from 'node:path'

/**
 * faithh's cache folder, where oclif puts a CLI's cache: FAITHH_CACHE_DIR, else the platform's user
 * cache folder. What is kept there (compiled code, the sandbox probe) only makes a start faster:
 * anything in it may be missing, stale or unwritable, and deleting it is always safe.
 */
export function faithhCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.FAITHH_CACHE_DIR) return env.FAITHH_CACHE_DIR
  const home = env.HOME || homedir()
  if (platform === 'darwin') return path.join(home, 'Library/Caches/faithh')
  if (platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(home, 'AppData/Local'), 'faithh')
  return path.join(env.XDG_CACHE_HOME || path.join(home, '.cache'), 'faithh')
}
