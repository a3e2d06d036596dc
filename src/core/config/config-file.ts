import {mkdir, readFile, realpath} from 'node:fs/promises'
import path from 'node:path'

import {atomicWrite} from '../tools/atomic-write.js'
import {ConfigError, formatIssues} from './load.js'
import {configSchema} from './schema.js'

type JsonObject = Record<string, unknown>

/**
 * Changes one config file (`faithh mcp add/remove`): reads it (a missing file is {}), applies
 * `change` (which says whether it changed anything), checks the result is a valid configuration,
 * and writes it atomically, so a bad edit or a crash leaves the file as it was. Keys it does not
 * touch are kept; formatting is not. Returns whether the file was written.
 */
export async function updateConfigFile(file: string, change: (data: JsonObject) => boolean): Promise<boolean> {
  // Through a symlink (dotfile managers link config files): replace the target, keep the link.
  const target = await realpath(file).catch(() => file)
  let data: JsonObject = {}
  try {
    const parsed: unknown = JSON.parse(await readFile(target, 'utf8'))
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new ConfigError(`${file} must contain a JSON object; fix it by hand first`)
    data = parsed as JsonObject
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      if (error instanceof ConfigError) throw error
      throw new ConfigError(`cannot read ${file}: ${(error as Error).message}; fix it by hand first`, {cause: error})
    }
  }

  if (!change(data)) return false
  const checked = configSchema.safeParse(data)
  if (!checked.success) throw new ConfigError(`the change would make ${file} invalid, so it was not written:\n${formatIssues(checked.error)}`)
  await mkdir(path.dirname(target), {recursive: true})
  await atomicWrite(target, JSON.stringify(data, null, 2) + '\n')
  return true
}
