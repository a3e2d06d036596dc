import {describe, expect, it} from 'vitest'

import {bwrapArguments, entryScript} from '../../../src/core/sandbox/bwrap-arguments.js'
import type {SandboxLayout} from '../../../src/core/sandbox/layout.js'

const layout: SandboxLayout = {
  root: '/tmp/base/project',
  home: '/tmp/base/home',
  tmp: '/tmp/faithh-sandbox-x/tmp',
  network: 'none',
  symlinks: [{path: '/bin', target: 'usr/bin'}],
  readOnly: ['/usr', '/etc', '/tmp/base/home/.cargo/bin'],
  writable: ['/tmp/base/project'],
  protectedPaths: ['/tmp/base/project/.faithh', '/tmp/base/project/.git/hooks', '/tmp/base/project/.git/config'],
  hiddenFiles: ['/etc/shadow'],
  hiddenDirs: ['/tmp/base/project/.ssh'],
}

/** The mount operations in order, as [option, target] pairs. */
function mounts(args: string[]): string[][] {
  const out: string[][] = []
  for (let i = 0; i < args.length; i++) {
    const option = args[i]!
    if (['--ro-bind', '--bind', '--symlink'].includes(option)) out.push([option, args[i + 2]!]), (i += 2)
    else if (['--tmpfs', '--proc', '--dev'].includes(option)) out.push([option, args[i + 1]!]), i++
  }

  return out
}

const indexOf = (list: string[][], option: string, target: string) => list.findIndex(([o, t]) => o === option && t === target)

describe('bwrapArguments', () => {
  const args = bwrapArguments(layout, {disableUserns: true})
  const order = mounts(args)

  it('unshares every namespace, the network too, drops all capabilities and dies with faithh', () => {
    for (const flag of ['--unshare-user', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-net', '--die-with-parent', '--disable-userns']) {
      expect(args).toContain(flag)
    }

    expect(args.join(' ')).toContain('--cap-drop ALL')
  })

  it.each([
    ['none', true],
    ['loopback', true],
    ['full', false],
  ] as const)('network %s: own network namespace %s', (network, unshared) => {
    expect(bwrapArguments({...layout, network}, {disableUserns: false}).includes('--unshare-net')).toBe(unshared)
  })

  it('mounts a folder before anything inside it: /tmp before the project in it, the home tmpfs before its toolchains', () => {
    expect(indexOf(order, '--bind', '/tmp')).toBeLessThan(indexOf(order, '--bind', '/tmp/base/project'))
    expect(indexOf(order, '--tmpfs', '/tmp/base/home')).toBeLessThan(indexOf(order, '--ro-bind', '/tmp/base/home/.cargo/bin'))
  })

  it('keeps .faithh, git hooks and git config read-only after binding the project writable', () => {
    const project = indexOf(order, '--bind', '/tmp/base/project')
    for (const entry of layout.protectedPaths) expect(indexOf(order, '--ro-bind', entry)).toBeGreaterThan(project)
  })

  it('hides secrets after the folders that hold them', () => {
    expect(indexOf(order, '--ro-bind', '/etc/shadow')).toBeGreaterThan(indexOf(order, '--ro-bind', '/etc'))
    expect(args.join(' ')).toContain('--ro-bind /dev/null /etc/shadow')
    expect(indexOf(order, '--tmpfs', '/tmp/base/project/.ssh')).toBeGreaterThan(indexOf(order, '--bind', '/tmp/base/project'))
  })

  it('binds the private temp folder at /tmp and works in the project', () => {
    expect(args.join(' ')).toContain('--bind /tmp/faithh-sandbox-x/tmp /tmp')
    expect(args.slice(-2)).toEqual(['--chdir', '/tmp/base/project'])
  })

  it("starts a program in its own working folder when it has one (an MCP server's cwd)", () => {
    expect(bwrapArguments({...layout, cwd: '/tmp/base/project/tools'}, {disableUserns: true}).slice(-2)).toEqual(['--chdir', '/tmp/base/project/tools'])
  })

  it('binds the project over the home tmpfs when the project is the home folder', () => {
    const home = mounts(bwrapArguments({...layout, home: '/tmp/base/project'}, {disableUserns: false}))
    expect(indexOf(home, '--tmpfs', '/tmp/base/project')).toBeLessThan(indexOf(home, '--bind', '/tmp/base/project'))
  })

  it('leaves --disable-userns out for bwrap older than 0.8', () => {
    expect(bwrapArguments(layout, {disableUserns: false})).not.toContain('--disable-userns')
  })
})

describe('entryScript', () => {
  it('sets the process limit only when it is an rlimit, and runs the line as its first argument', () => {
    expect(entryScript(64)).toMatch(/^ulimit -u 64 2>\/dev\/null\n\/bin\/bash -c "\$1" 3>&-/)
    expect(entryScript()).not.toContain('ulimit')
  })
})
