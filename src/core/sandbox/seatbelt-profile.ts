import path from 'node:path'

import type {SandboxLayout} from './layout.js'

/**
 * The macOS equivalent of the bwrap layout, for `sandbox-exec -p`: a Seatbelt (SBPL) profile that
 * denies everything, then allows the system, the project and the private temp folder. In SBPL the
 * later of two matching rules wins, so the denials of secrets and protected paths come last.
 *
 * Differences from Linux, all stricter or documented: there are no network namespaces, so "none"
 * means no IP networking at all (a test server on localhost cannot listen either); the home folder
 * is not replaced but unreadable and unwritable; and there is no process-count limit.
 *
 * Not run in this repository's CI (Linux only): the tests check the generated text.
 */
export function seatbeltProfile(layout: SandboxLayout): string {
  const readable = [...layout.readOnly, ...layout.writable, layout.tmp]
  const writable = [...layout.writable, layout.tmp]
  const keptReadOnly = [...layout.protectedPaths, ...layout.hiddenDirs, ...layout.hiddenFiles]
  const hidden = [...layout.hiddenDirs, ...layout.hiddenFiles]
  const lines = [
    '(version 1)',
    '(deny default)',
    '',
    '; processes: run programs, signal and inspect only those of this sandbox',
    '(allow process-exec process-fork)',
    '(allow signal (target same-sandbox))',
    '(allow process-info* (target same-sandbox))',
    '(allow sysctl-read)',
    '(allow user-preference-read)',
    '(allow ipc-posix-shm ipc-posix-sem)',
    '(allow pseudo-tty)',
    '(allow mach-lookup',
    ...MACH_SERVICES.map((name) => `  (global-name ${quote(name)})`),
    ')',
    '',
    '; devices',
    '(allow file-read* file-write* file-ioctl',
    ...DEVICES.map((device) => `  (literal ${quote(device)})`),
    '  (regex #"^/dev/fd/"))',
    '',
    '; reading: the system, the project, the private temp folder and re-exposed toolchains',
    '(allow file-read-metadata (vnode-type DIRECTORY))',
    '(allow file-read* (literal "/")',
    ...readable.map((entry) => `  (subpath ${quote(entry)})`),
    ')',
    '',
    '; writing: the project, the private temp folder and granted folders',
    '(allow file-write*',
    ...writable.map((entry) => `  (subpath ${quote(entry)})`),
    ')',
    '',
    ...networkRules(layout),
    '',
    '; last, so they win: secrets stay unreadable, protected paths unchangeable (also by renaming a folder above them)',
    ...(hidden.length > 0 ? ['(deny file-read*', ...hidden.map((entry) => `  (subpath ${quote(entry)})`), ')'] : []),
    ...(keptReadOnly.length > 0 ? ['(deny file-write*', ...keptReadOnly.map((entry) => `  (subpath ${quote(entry)})`), ')'] : []),
    ...(keptReadOnly.length > 0
      ? ['(deny file-write-unlink', ...ancestorsWithin(keptReadOnly, writable).map((entry) => `  (literal ${quote(entry)})`), ')']
      : []),
  ]
  return lines.join('\n') + '\n'
}

function networkRules(layout: SandboxLayout): string[] {
  const sockets = [...layout.writable, layout.tmp]
  const unix = [
    '; unix sockets only inside the project and the temp folder (never the ssh agent or Docker)',
    '(allow system-socket (socket-domain AF_UNIX))',
    ...sockets.flatMap((entry) => [
      `(allow network-bind (local unix-socket (subpath ${quote(entry)})))`,
      `(allow network-outbound (remote unix-socket (subpath ${quote(entry)})))`,
    ]),
  ]
  switch (layout.network) {
    case 'full':
      return [
        '; network: everything (granted)',
        '(allow network*)',
        '(allow mach-lookup (global-name "com.apple.trustd.agent") (global-name "com.apple.dnssd.service"))',
      ]
    case 'loopback':
      return [
        '; network: this machine only (granted)',
        '(allow network-bind network-inbound (local ip "localhost:*"))',
        '(allow network-outbound (remote ip "localhost:*"))',
        ...unix,
      ]
    default:
      return ['; network: none (no IP at all: macOS has no private loopback)', ...unix]
  }
}

/** Each path and the folders above it up to (and including) the writable folder holding it. */
function ancestorsWithin(entries: string[], writable: string[]): string[] {
  const out = new Set<string>()
  for (const entry of entries) {
    const top = writable.find((folder) => entry === folder || entry.startsWith(folder + path.sep))
    if (!top) continue
    for (let dir = entry; ; dir = path.dirname(dir)) {
      out.add(dir)
      if (dir === top || path.dirname(dir) === dir) break
    }
  }

  return [...out]
}

/** SBPL strings are double-quoted with backslash escapes, as JSON writes them. */
function quote(text: string): string {
  return JSON.stringify(text)
}

const DEVICES = ['/dev/null', '/dev/zero', '/dev/random', '/dev/urandom', '/dev/tty', '/dev/stdin', '/dev/stdout', '/dev/stderr', '/dev/dtracehelper']

/** What programs need to look up users, log, and verify code signatures; no wildcard. */
const MACH_SERVICES = [
  'com.apple.system.opendirectoryd.libinfo',
  'com.apple.system.opendirectoryd.membership',
  'com.apple.system.logger',
  'com.apple.logd',
  'com.apple.bsd.dirhelper',
  'com.apple.securityd.xpc',
  'com.apple.SecurityServer',
  'com.apple.system.notification_center',
  'com.apple.coreservices.launchservicesd',
  'com.apple.lsd.mapdb',
  'com.apple.fonts',
  'com.apple.FontObjectsServer',
]
