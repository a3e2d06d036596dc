import {symlink} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {resolveProjectPath} from '../../src/core/tools/project-paths.js'
import {sandbox} from './helpers.js'

describe('resolveProjectPath', () => {
  it.each([
    ['src/a.ts', 'src/a.ts'],
    ['./src/../src/a.ts', 'src/a.ts'],
    ['.', '.'],
    ['new/dir/file.ts', 'new/dir/file.ts'],
  ])('resolves %s inside the root to %s', async (input, rel) => {
    const box = await sandbox({'src/a.ts': 'x'})
    const result = await resolveProjectPath(box.root, input)
    expect(result).toEqual({ok: true, rel, abs: path.join(box.root, rel)})
  })

  it('accepts an absolute path inside the root', async () => {
    const box = await sandbox({'src/a.ts': 'x'})
    expect(await resolveProjectPath(box.root, path.join(box.root, 'src/a.ts'))).toMatchObject({ok: true, rel: 'src/a.ts'})
  })

  it.each(['../x', 'src/../../x', '/etc/passwd', '..'])('refuses %s as outside the root', async (input) => {
    const box = await sandbox()
    const result = await resolveProjectPath(box.root, input)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.reason).toBe(
      `path ${input} is outside the project root ${box.root}; faithh only touches files inside the project`,
    )
  })

  it('suggests the project-relative path for a rooted path that exists in the project', async () => {
    const box = await sandbox({'src/a.ts': 'x'})
    const result = await resolveProjectPath(box.root, '/src/a.ts')
    expect(!result.ok && result.reason).toMatch(/outside the project root .*Did you mean src\/a\.ts\?$/)
  })

  it.each([
    ['a symlinked directory', 'out/secret.txt'],
    ['a not-yet-existing file under a symlinked directory', 'out/new/deeper.txt'],
    ['a dangling symlink', 'dangling'],
    ['a file under a dangling symlinked directory', 'dangling-dir/x.txt'],
  ])('refuses a path through %s that leads outside', async (_, input) => {
    const box = await sandbox()
    await symlink(box.outside, path.join(box.root, 'out'))
    await symlink(path.join(box.outside, 'not-there.txt'), path.join(box.root, 'dangling'))
    await symlink(path.join(box.outside, 'no-dir'), path.join(box.root, 'dangling-dir'))
    const result = await resolveProjectPath(box.root, input)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.reason).toContain('symlink')
    expect(!result.ok && result.reason).toContain(`outside the project root ${box.root}`)
  })

  it('follows a symlink that stays inside the root', async () => {
    const box = await sandbox({'real/a.txt': 'x'})
    await symlink('real', path.join(box.root, 'alias'))
    expect(await resolveProjectPath(box.root, 'alias/a.txt')).toMatchObject({ok: true, rel: 'real/a.txt'})
  })

  it.each([
    ['a NUL byte', 'a\0b', 'NUL'],
    ['an empty path', '', 'empty'],
    ['an over-long path', 'a/'.repeat(2100), 'limit is 4096'],
  ])('refuses %s', async (_, input, reason) => {
    const box = await sandbox()
    const result = await resolveProjectPath(box.root, input)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.reason).toContain(reason)
  })
})
