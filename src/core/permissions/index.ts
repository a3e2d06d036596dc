import os from 'node:os'

import {createCommandJudge} from './commands.js'
import type {PermissionsConfig} from './config.js'
import type {CommandDecision, PathDecision} from './decision.js'
import {createPathPolicy, type PathOptions} from './paths.js'
import {loadBashGrammar} from './load-bash-grammar.js'
import {isReadOnlyLine} from './read-only.js'

export {
  DEFAULT_ALLOWED_COMMANDS,
  DEFAULT_DENIED_COMMANDS,
  DEFAULT_FORBIDDEN,
  DEFAULT_READ_ONLY,
  permissionsConfigSchema,
  type PermissionsConfig,
  type PermissionsConfigInput,
} from './config.js'
export type {CommandDecision, PathDecision, PermissionDecision, Verdict} from './decision.js'
export type {PathOptions} from './paths.js'

/**
 * The one judge of what tools may touch and run. Pure: it reads the file system (realpath, lstat,
 * readdir for globs) but never writes, never runs a program, and never prompts — asking is the
 * caller's job (see core/access).
 */
export interface PermissionPolicy {
  /** allow inside the project, ask outside it, deny forbidden names (by name or by where a symlink leads). */
  checkRead(path: string, options?: PathOptions): Promise<PathDecision>
  /** deny forbidden, read-only and outside the write roots; inside, `permissions.writes` decides. */
  checkWrite(path: string, options?: PathOptions): Promise<PathDecision>
  /** Every simple command, redirection and substitution in the line is judged; the strictest verdict wins. */
  checkCommand(line: string, options?: PathOptions): Promise<CommandDecision>
  /** Name-only check for walkers that list many files: is this root-relative path forbidden? */
  isForbidden(rel: string): boolean
  /** Does every command in the line only read and print? Where no sandbox works, only such lines run without asking. */
  isReadOnlyCommand(line: string): Promise<boolean>
}

export function createPermissionPolicy(root: string, config: PermissionsConfig, {home = os.homedir()}: {home?: string} = {}): PermissionPolicy {
  const paths = createPathPolicy(root, config, home)
  const commands = createCommandJudge(paths, config, home)
  return {
    checkRead: (path, options) => paths.checkRead(path, options),
    checkWrite: (path, options) => paths.checkWrite(path, options),
    checkCommand: (line, options) => commands.checkCommand(line, options),
    isForbidden: (rel) => paths.isForbidden(rel),
    isReadOnlyCommand: async (line) => isReadOnlyLine(line, {home, cwd: await paths.realRoot()}),
  }
}

/** Loads the shell grammar (about 50 ms, once per process) ahead of the first command check. */
export async function preloadShellParser(): Promise<void> {
  await (await loadBashGrammar()).loadBashParser()
}
