import {accessSync, constants, statSync} from 'node:fs'
import path from 'node:path'

/**
 * The executable file a command names, as the host finds it: a name with a slash relative to `cwd`,
 * a bare name in the absolute folders of `pathVariable` (a relative PATH entry would make the answer
 * depend on where faithh runs); undefined when there is none.
 */
export function findProgram(command: string, cwd: string, pathVariable: string | undefined): string | undefined {
  if (command.includes('/')) return executableFile(path.resolve(cwd, command))
  for (const dir of (pathVariable ?? '').split(path.delimiter)) {
    if (!path.isAbsolute(dir)) continue
    const found = executableFile(path.join(dir, command))
    if (found) return found
  }

  return undefined
}

function executableFile(file: string): string | undefined {
  try {
    accessSync(file, constants.X_OK)
    return statSync(file).isFile() ? file : undefined
  } catch {
    return undefined
  }
}
