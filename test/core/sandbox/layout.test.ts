import {mkdir, mkdtemp, realpath, rm, symlink, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {buildLayout, gitDirsOutside, isVisible, type LayoutRequest} from '../../../src/core/sandbox/layout.js'

let base: string
let home: string
let root: string

beforeEach(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'faithh-layout-')))
  home = path.join(base, 'home')
  root = path.join(base, 'work', 'project')
  for (const dir of [root, `${home}/.ssh`, `${home}/.cargo/bin`, `${home}/.cargo/registry`, `${home}/.config/gh`, `${home}/other-project`, `${home}/bin`]) {
    await mkdir(dir, {recursive: true})
  }
  await writeFile(`${home}/.ssh/id_rsa`, 'PRIVATE\n')
  await writeFile(`${home}/.cargo/credentials.toml`, 'token = "x"\n')
  await writeFile(`${home}/.npmrc`, '//registry.npmjs.org/:_authToken=x\n')
  await writeFile(`${home}/.gitconfig`, '[user]\n')
})

afterEach(() => rm(base, {recursive: true, force: true}))

const request = (overrides: Partial<LayoutRequest> = {}): LayoutRequest => ({
  root,
  home,
  tmp: path.join(base, 'tmp'),
  network: 'none',
  read: [],
  write: [],
  execPath: process.execPath,
  pathVariable: '',
  platform: 'linux',
  ...overrides,
})

describe('buildLayout', () => {
  it('shows the system read-only and nothing of the home folder but toolchains', () => {
    const layout = buildLayout(request({pathVariable: `${home}/bin:/usr/bin`}))
    expect(layout.readOnly).toContain('/usr')
    expect(layout.readOnly).toEqual(expect.arrayContaining([`${home}/.cargo/bin`, `${home}/.cargo/registry`, `${home}/.gitconfig`, `${home}/bin`]))
    expect(layout.readOnly.filter((entry) => entry.startsWith(home))).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/\.ssh|other-project|\.config\/gh|\.npmrc|credentials/)]),
    )
    expect(layout.writable).toEqual([root])
  })

  it.each([
    ['the home folder', () => home],
    ['a parent of the home folder', () => base],
    ['the root of the file system', () => '/'],
  ])('never re-exposes %s, even from PATH or a grant', (_, entry) => {
    const layout = buildLayout(request({pathVariable: entry(), read: [entry()], write: [entry()]}))
    expect(layout.readOnly).not.toContain(entry())
    expect(layout.writable).toEqual([root])
  })

  it('does not show a PATH folder that holds the project (and so the projects beside it)', () => {
    const layout = buildLayout(request({pathVariable: path.join(base, 'work')}))
    expect(layout.readOnly).not.toContain(path.join(base, 'work'))
  })

  it('hides secrets inside a visible folder: a project that is the home folder', () => {
    const layout = buildLayout(request({root: home}))
    expect(layout.hiddenDirs).toEqual(expect.arrayContaining([`${home}/.ssh`, `${home}/.config/gh`]))
    expect(layout.hiddenFiles).toEqual(expect.arrayContaining([`${home}/.npmrc`, `${home}/.cargo/credentials.toml`]))
  })

  it('hides the target of a secret that is a symlink into a visible folder', async () => {
    await mkdir(path.join(root, 'keys'))
    await rm(`${home}/.ssh`, {recursive: true})
    await symlink(path.join(root, 'keys'), `${home}/.ssh`)
    expect(buildLayout(request()).hiddenDirs).toContain(path.join(root, 'keys'))
  })

  it('lets a grant name a secret on purpose (a private registry token)', () => {
    const layout = buildLayout(request({root: home, read: ['~/.npmrc']}))
    expect(layout.hiddenFiles).not.toContain(`${home}/.npmrc`)
  })

  it('adds granted folders (~ expanded) read-only or writable', async () => {
    await mkdir(`${home}/.npm`)
    const layout = buildLayout(request({write: ['~/.npm'], read: [`${home}/other-project`]}))
    expect(layout.writable).toEqual([root, `${home}/.npm`])
    expect(layout.readOnly).toContain(`${home}/other-project`)
  })

  it('protects .faithh, .git/hooks and .git/config where they exist', async () => {
    for (const dir of ['.faithh', '.git/hooks']) await mkdir(path.join(root, dir), {recursive: true})
    await writeFile(path.join(root, '.git/config'), '[core]\n')
    expect(buildLayout(request()).protectedPaths).toEqual([path.join(root, '.faithh'), path.join(root, '.git/hooks'), path.join(root, '.git/config')])
  })
})

describe('isVisible: whether a host path is there inside the sandbox, as it is', () => {
  it.each([
    ['the project', (): string => path.join(root, 'src/x.js'), {}, true],
    ['a project folder whose name starts with two dots', (): string => path.join(root, '..cache/x.js'), {}, true],
    ['a system folder', () => '/usr/bin/env', {}, true],
    ['a toolchain under the home folder', () => path.join(home, '.cargo/bin/cargo'), {}, true],
    ['the rest of the home folder', () => path.join(home, 'other-project/server.js'), {}, false],
    ['a folder beside the project', () => path.join(base, 'work/other/x.js'), {}, false],
    ['a granted folder', () => path.join(home, 'other-project/server.js'), {read: ['~/other-project']}, true],
    ['a secret inside a granted folder', () => path.join(home, '.cargo/credentials.toml'), {read: ['~/.cargo']}, false],
    ['beside it, what is not a secret', () => path.join(home, '.cargo/registry'), {read: ['~/.cargo']}, true],
    ["the host's /tmp (the sandbox has its own)", () => path.join(os.tmpdir(), 'x'), {}, false],
  ])('%s: %s', (_name, entry, overrides, visible) => {
    expect(isVisible(buildLayout(request({pathVariable: '', ...overrides})), entry())).toBe(visible)
  })
})

describe('gitDirsOutside', () => {
  it("shows a worktree's git dir and the main repository's .git", async () => {
    const main = path.join(base, 'main', '.git')
    await mkdir(path.join(main, 'worktrees', 'project'), {recursive: true})
    await writeFile(path.join(main, 'worktrees', 'project', 'commondir'), '../..\n')
    await writeFile(path.join(root, '.git'), `gitdir: ${path.join(main, 'worktrees', 'project')}\n`)
    expect(gitDirsOutside(root)).toEqual([path.join(main, 'worktrees', 'project'), main])
  })

  it('shows the repository a project folder sits in, and nothing for a repository of its own', async () => {
    await mkdir(path.join(base, 'work', '.git'))
    expect(gitDirsOutside(root)).toEqual([path.join(base, 'work', '.git')])
    await mkdir(path.join(root, '.git'))
    expect(gitDirsOutside(root)).toEqual([])
  })
})
