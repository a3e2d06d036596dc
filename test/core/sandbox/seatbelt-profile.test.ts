import {describe, expect, it} from 'vitest'

import type {SandboxLayout} from '../../../src/core/sandbox/layout.js'
import {seatbeltProfile} from '../../../src/core/sandbox/seatbelt-profile.js'

/**
 * macOS cannot be run here: these check the generated SBPL text. In SBPL the last matching rule
 * wins, so what must always hold (secrets unreadable, protected paths unwritable) comes last.
 */
const layout: SandboxLayout = {
  root: '/Users/dev/src/app',
  home: '/Users/dev',
  tmp: '/private/var/folders/xy/T/faithh-sandbox-1/tmp',
  network: 'none',
  symlinks: [],
  readOnly: ['/usr', '/System', '/Users/dev/.nvm'],
  writable: ['/Users/dev/src/app'],
  protectedPaths: ['/Users/dev/src/app/.faithh', '/Users/dev/src/app/.git/hooks', '/Users/dev/src/app/.git/config'],
  hiddenFiles: [],
  hiddenDirs: [],
}

/** The rule that starts with `head`, up to its closing parenthesis alone on a line. */
function rule(profile: string, head: string, from: 'first' | 'last' = 'first'): string {
  const start = from === 'first' ? profile.indexOf(head) : profile.lastIndexOf(head)
  expect(start).toBeGreaterThanOrEqual(0)
  return profile.slice(start, profile.indexOf('\n)', start) + 2)
}

describe('seatbeltProfile', () => {
  const profile = seatbeltProfile(layout)

  it('denies by default and allows processes only within the sandbox', () => {
    expect(profile.startsWith('(version 1)\n(deny default)\n')).toBe(true)
    expect(profile).toContain('(allow signal (target same-sandbox))')
  })

  it('reads the system, the project, the temp folder and toolchains; not the home folder itself', () => {
    const reads = rule(profile, '(allow file-read* (literal "/")')
    for (const entry of ['/usr', '/System', '/Users/dev/.nvm', '/Users/dev/src/app', layout.tmp]) expect(reads).toContain(`(subpath "${entry}")`)
    expect(reads).not.toContain('(subpath "/Users/dev")')
  })

  it('writes only in the project and the temp folder', () => {
    const writes = rule(profile, '(allow file-write*\n')
    expect(writes).toContain('(subpath "/Users/dev/src/app")')
    expect(writes).toContain(`(subpath "${layout.tmp}")`)
    expect(writes).not.toContain('/Users/dev/.nvm')
  })

  it('denies writes to protected paths after allowing the project, and their moves through a parent', () => {
    const deny = profile.lastIndexOf('(deny file-write*\n')
    expect(deny).toBeGreaterThan(profile.indexOf('(allow file-write*\n'))
    for (const entry of layout.protectedPaths) expect(profile.slice(deny)).toContain(`(subpath "${entry}")`)
    const unlink = profile.slice(profile.indexOf('(deny file-write-unlink'))
    for (const entry of ['/Users/dev/src/app/.git', '/Users/dev/src/app']) expect(unlink).toContain(`(literal "${entry}")`)
  })

  it('denies reading hidden secrets last', () => {
    const hidden = seatbeltProfile({...layout, hiddenDirs: ['/Users/dev/src/app/.ssh']})
    expect(hidden.lastIndexOf('(deny file-read*')).toBeGreaterThan(hidden.indexOf('(allow file-read* (literal "/")'))
    expect(hidden.slice(hidden.lastIndexOf('(deny file-read*'))).toContain('(subpath "/Users/dev/src/app/.ssh")')
  })

  it.each([
    ['none', [], ['(allow network*)', '(remote ip "localhost:*")']],
    ['loopback', ['(allow network-outbound (remote ip "localhost:*"))'], ['(allow network*)']],
    ['full', ['(allow network*)'], []],
  ] as const)('network %s', (network, present, absent) => {
    const text = seatbeltProfile({...layout, network})
    for (const rule of present) expect(text).toContain(rule)
    for (const rule of absent) expect(text).not.toContain(rule)
  })

  it('quotes paths as SBPL strings', () => {
    expect(seatbeltProfile({...layout, root: '/Users/dev/a "b"\\c', writable: ['/Users/dev/a "b"\\c']})).toContain('(subpath "/Users/dev/a \\"b\\"\\\\c")')
  })
})
