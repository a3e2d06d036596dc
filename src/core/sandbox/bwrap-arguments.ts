import path from 'node:path'

import type {SandboxLayout} from './layout.js'

/** Where the loopback bridge's sockets and forwarder appear inside the sandbox. */
export const BRIDGE_MOUNT = '/run/faithh'

export interface BwrapOptions {
  /** bwrap 0.8+: no user namespaces inside the sandbox (one less kernel surface to attack). */
  disableUserns: boolean
}

type Mount =
  | {op: 'symlink'; path: string; target: string}
  | {op: 'ro-bind' | 'bind'; path: string; source?: string}
  | {op: 'tmpfs' | 'proc' | 'dev'; path: string}
  | {op: 'hide-file'; path: string}

/** At one path: the tmpfs first, then what is bound onto it, then what is kept read-only or hidden inside. */
const ORDER: Record<Mount['op'], number> = {symlink: 0, proc: 0, dev: 0, tmpfs: 1, 'ro-bind': 2, bind: 2, 'hide-file': 3}

/**
 * bubblewrap's arguments for a layout (everything before `--` and the command). The sandbox root is
 * an empty tmpfs: what is not mounted here does not exist inside. Mounts are ordered outermost
 * first, so a folder is in place before anything is mounted inside it (the project under /tmp, a
 * toolchain under the hidden home).
 */
export function bwrapArguments(layout: SandboxLayout, {disableUserns}: BwrapOptions): string[] {
  const mounts: Mount[] = [
    ...layout.symlinks.map((link): Mount => ({op: 'symlink', path: link.path, target: link.target})),
    ...layout.readOnly.map((entry): Mount => ({op: 'ro-bind', path: entry})),
    {op: 'proc', path: '/proc'},
    {op: 'dev', path: '/dev'},
    {op: 'bind', path: '/tmp', source: layout.tmp},
    {op: 'tmpfs', path: '/var/tmp'},
    // An empty, throwaway home: programs that write caches there still work; nothing of the user's is in it.
    ...(layout.home === '/' ? [] : [{op: 'tmpfs', path: layout.home} as Mount]),
    ...layout.writable.map((entry): Mount => ({op: 'bind', path: entry})),
    ...layout.protectedPaths.map((entry): Mount => ({op: 'ro-bind', path: entry})),
    ...layout.hiddenDirs.map((entry): Mount => ({op: 'tmpfs', path: entry})),
    ...layout.hiddenFiles.map((entry): Mount => ({op: 'hide-file', path: entry})),
    ...(layout.bridgeDir ? [{op: 'bind', path: BRIDGE_MOUNT, source: layout.bridgeDir} as Mount] : []),
  ]
  const sorted = mounts
    .map((mount, index) => ({mount, index}))
    .sort((a, b) => depth(a.mount.path) - depth(b.mount.path) || precedence(a.mount, b.mount) || a.index - b.index)
    .map(({mount}) => mount)

  const args = [
    '--unshare-user',
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    ...(layout.network === 'full' ? [] : ['--unshare-net']),
    // Dies with faithh (even on kill -9); and with it every process of its pid namespace.
    '--die-with-parent',
    '--cap-drop',
    'ALL',
    ...(disableUserns ? ['--disable-userns'] : []),
    '--hostname',
    'faithh-sandbox',
  ]
  for (const mount of sorted) {
    switch (mount.op) {
      case 'symlink':
        args.push('--symlink', mount.target, mount.path)
        break
      case 'ro-bind':
      case 'bind':
        args.push(`--${mount.op}`, mount.source ?? mount.path, mount.path)
        break
      case 'hide-file':
        // A device node on a nodev mount: opening it fails with "Permission denied".
        args.push('--ro-bind', '/dev/null', mount.path)
        break
      default:
        args.push(`--${mount.op}`, mount.path)
    }
  }

  args.push('--chdir', layout.cwd ?? layout.root)
  return args
}

function depth(entry: string): number {
  return entry.split(path.sep).filter(Boolean).length
}

/** Same depth: only the same path needs an order (tmpfs, then bind, then what hides inside). */
function precedence(a: Mount, b: Mount): number {
  return a.path === b.path ? ORDER[a.op] - ORDER[b.op] : 0
}

/**
 * The first process inside the sandbox: sets the process limit (when it is an rlimit), runs the line
 * with a fresh bash exactly as the policy judged it, and reports on fd 3 when background processes
 * were still running half a second after it ended (they die with the sandbox's pid namespace).
 * `$1` is the line, `$2` how many processes the sandbox has without the command's.
 */
export function entryScript(maxProcesses?: number): string {
  return [
    ...(maxProcesses ? [`ulimit -u ${maxProcesses} 2>/dev/null`] : []),
    '/bin/bash -c "$1" 3>&-',
    'status=$?',
    'for tick in 1 2 3 4 5 6; do',
    '  n=0; for p in /proc/[0-9]*; do n=$((n+1)); done',
    '  [ "$n" -le "$2" ] && exit $status',
    '  [ "$tick" -lt 6 ] && sleep 0.1',
    'done',
    'echo lingering >&3 2>/dev/null',
    'exit $status',
  ].join('\n')
}
