import {existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync} from 'node:fs'
import path from 'node:path'
import {isInside} from '../permissions/paths.js'

import type {NetworkAccess} from './config.js'
import {HOME_SECRETS, HOME_TOOLCHAINS, MACOS_SYSTEM_PATHS, SYSTEM_PATHS, SYSTEM_SECRETS} from './known-paths.js'

/**
 * What a sandboxed command sees of the file system: a list, not a mirror. Only the system folders,
 * the project and a private /tmp exist; the home folder is an empty, throwaway one, with the
 * toolchains re-exposed read-only; anything not listed (other projects, other users, /run with its
 * sockets, /var) is not there at all. Both backends (bwrap, sandbox-exec) are generated from this.
 */
export interface SandboxLayout {
  /** The project: writable, and the working folder unless `cwd` says otherwise. */
  root: string
  /** Where the program starts (an MCP server's `cwd`), when not the root. */
  cwd?: string
  home: string
  /** Host folder that is the sandbox's /tmp (private to this command, removed after it). */
  tmp: string
  network: NetworkAccess
  /** Top-level system entries that are symlinks (merged /usr): recreated as they are. */
  symlinks: Array<{path: string; target: string}>
  /** Host folders visible read-only at the same place. */
  readOnly: string[]
  /** Host folders writable at the same place: the project first, then granted ones. */
  writable: string[]
  /** Inside the writable ones, kept read-only: what faithh or git would later run or obey outside the sandbox. */
  protectedPaths: string[]
  /** Secrets inside visible folders: files made unreadable, folders replaced by empty ones. */
  hiddenFiles: string[]
  hiddenDirs: string[]
  /** RLIMIT_NPROC to set inside (when that is the process-limit method). */
  maxProcesses?: number
  /** Host folder with the loopback bridge's sockets, for `network: loopback`. */
  bridgeDir?: string
}

export interface LayoutRequest {
  root: string
  /** Default: the root. */
  cwd?: string
  home: string
  tmp: string
  network: NetworkAccess
  /** Extra host paths (absolute or ~/…): config `sandbox.read`/`write` and a grant's. */
  read: readonly string[]
  write: readonly string[]
  /** PATH of the command: its folders under the home folder are re-exposed read-only. */
  pathVariable?: string
  /** The node running faithh (its install stays visible: `node`, `npm`, `npx`). */
  execPath: string
  platform?: NodeJS.Platform
  maxProcesses?: number
  bridgeDir?: string
}

export function buildLayout(request: LayoutRequest): SandboxLayout {
  const {root, home, tmp} = request
  const platform = request.platform ?? process.platform
  const expand = (entry: string) => expandHome(entry, home)
  const symlinks: SandboxLayout['symlinks'] = []
  const readOnly: string[] = []
  for (const entry of platform === 'darwin' ? MACOS_SYSTEM_PATHS : SYSTEM_PATHS) {
    const kind = kindOf(entry)
    if (kind === 'symlink' && platform !== 'darwin') symlinks.push({path: entry, target: readlinkSync(entry)})
    else if (kind && !readOnly.includes(realPath(entry))) readOnly.push(platform === 'darwin' ? realPath(entry) : entry)
  }

  const granted = [...request.read.map(expand)]
  const found = [
    ...HOME_TOOLCHAINS.map((entry) => path.join(home, entry)),
    ...(request.pathVariable ?? '').split(path.delimiter).filter((entry) => path.isAbsolute(entry)),
    path.dirname(path.dirname(request.execPath)),
  ]
  // With the network: where /etc/resolv.conf really is (/run/systemd/resolve on systemd machines), or names do not resolve.
  if (request.network === 'full') found.push(path.dirname(realPath('/etc/resolv.conf')))
  // Found on the machine, not asked for: never a folder holding the project (it would show the projects beside it).
  const candidates = [...found.filter((entry) => !isInside(path.resolve(entry), root)), ...gitDirsOutside(root), ...granted]
  for (const candidate of candidates) {
    const entry = path.resolve(candidate)
    if (!existsSync(entry) || isBroad(entry, home) || isCovered(entry, [...readOnly, root])) continue
    if (!readOnly.includes(entry)) readOnly.push(entry)
  }

  // A folder and one inside it: the inner mount would be hidden by the outer one, and is not needed.
  for (const entry of [...readOnly]) {
    if (readOnly.some((other) => other !== entry && isInside(other, entry))) readOnly.splice(readOnly.indexOf(entry), 1)
  }

  const writable = [root]
  for (const entry of request.write.map(expand)) {
    const resolved = path.resolve(entry)
    if (existsSync(resolved) && !isBroad(resolved, home) && !writable.includes(resolved)) writable.push(resolved)
  }

  const visible = [...readOnly, ...writable]
  const explicitlyGranted = [...granted, ...request.write.map(expand)].map((entry) => path.resolve(entry))
  const hiddenFiles: string[] = []
  const hiddenDirs: string[] = []
  const secrets = [...SYSTEM_SECRETS, ...HOME_SECRETS.map((entry) => path.join(home, entry)), ...sshHostKeys()]
  for (const secret of secrets) {
    const target = secretTarget(secret)
    if (!target || !isCovered(target.path, visible)) continue
    if (explicitlyGranted.some((entry) => isInside(secret, entry) || isInside(target.path, entry))) continue
    const list = target.dir ? hiddenDirs : hiddenFiles
    if (!list.includes(target.path)) list.push(target.path)
  }

  return {
    root,
    ...(request.cwd && request.cwd !== root ? {cwd: request.cwd} : {}),
    home,
    tmp,
    network: request.network,
    symlinks,
    readOnly,
    writable,
    protectedPaths: protectedPaths(root),
    hiddenFiles,
    hiddenDirs,
    maxProcesses: request.maxProcesses,
    bridgeDir: request.bridgeDir,
  }
}

/**
 * Inside the project, but not the sandbox's to change: git hooks and git config run or configure
 * programs for every later `git status` or `git commit` (faithh's own, or the user's, outside any
 * sandbox), and .faithh/ holds faithh's config (its permissions and this sandbox's) and undo journal.
 * Call ensureProtectedPaths first, so that folders that do not exist yet cannot be created.
 */
function protectedPaths(root: string): string[] {
  const candidates = [path.join(root, '.faithh'), path.join(root, '.git', 'hooks'), path.join(root, '.git', 'config')]
  return candidates.filter((candidate) => existsSync(candidate))
}

/** The git repository a project inside another repository, or a git worktree, needs to see (read-only). */
export function gitDirsOutside(root: string): string[] {
  const found: string[] = []
  let dir = root
  for (;;) {
    const dotGit = path.join(dir, '.git')
    const kind = kindOf(dotGit)
    if (kind === 'file') {
      // A worktree or submodule: `gitdir: <path>`, whose `commondir` names the main repository's .git.
      const gitdir = /^gitdir:\s*(.+)$/m.exec(readText(dotGit))?.[1]?.trim()
      if (gitdir) {
        const resolved = path.resolve(dir, gitdir)
        found.push(resolved)
        const common = readText(path.join(resolved, 'commondir')).trim()
        if (common) found.push(path.resolve(resolved, common))
      }
      break
    }

    if (kind === 'dir') {
      if (dir !== root) found.push(dotGit)
      break
    }

    const parent = path.dirname(dir)
    if (parent === dir) break
    dir = parent
  }

  return found.filter((entry) => !isInside(root, entry))
}

/**
 * Whether a host path is there, as it is, inside a sandbox of this layout: under a folder shown
 * read-only or writable, and not a hidden secret. The private /tmp, the empty home and what is not
 * listed are not the host's.
 */
export function isVisible(layout: SandboxLayout, entry: string): boolean {
  const resolved = path.resolve(entry)
  if (![...layout.readOnly, ...layout.writable].some((folder) => isInside(folder, resolved))) return false
  return !layout.hiddenDirs.some((dir) => isInside(dir, resolved)) && !layout.hiddenFiles.includes(resolved)
}

/** `~/x` and `~` against the home folder; anything else as given. */
function expandHome(entry: string, home: string): string {
  if (entry === '~') return home
  if (entry.startsWith('~/')) return path.join(home, entry.slice(2))
  return entry
}

/** The root of the file system, or the home folder or one of its parents: showing that would show everything. */
function isBroad(entry: string, home: string): boolean {
  return entry === '/' || isInside(entry, home)
}

function isCovered(entry: string, folders: readonly string[]): boolean {
  return folders.some((folder) => isInside(folder, entry))
}

function kindOf(entry: string): 'file' | 'dir' | 'symlink' | undefined {
  try {
    const stat = lstatSync(entry)
    return stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'dir' : 'file'
  } catch {
    return undefined
  }
}

/** Where a secret really is (through symlinks) and what it is, if it exists. */
function secretTarget(entry: string): {path: string; dir: boolean} | undefined {
  try {
    const real = realpathSync(entry)
    return {path: real, dir: statSync(real).isDirectory()}
  } catch {
    return undefined
  }
}

function realPath(entry: string): string {
  try {
    return realpathSync(entry)
  } catch {
    return entry
  }
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

function sshHostKeys(): string[] {
  try {
    return readdirSync('/etc/ssh')
      .filter((name) => /^ssh_host_.*_key$/.test(name))
      .map((name) => path.join('/etc/ssh', name))
  } catch {
    return []
  }
}
