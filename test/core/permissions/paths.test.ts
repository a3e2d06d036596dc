import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {createPermissionPolicy, permissionsConfigSchema, type PermissionPolicy, type PermissionsConfigInput} from '../../../src/core/permissions/index.js'
import {createPolicyFixture, type PolicyFixture} from './fixture.js'

let fixture: PolicyFixture
let policy: PermissionPolicy
let before: string

const policyWith = (config: PermissionsConfigInput): PermissionPolicy =>
  createPermissionPolicy(fixture.root, permissionsConfigSchema.parse(config), {home: fixture.home})

beforeAll(async () => {
  fixture = await createPolicyFixture()
  policy = policyWith({})
  before = await fixture.snapshot()
})

afterAll(async () => {
  await fixture.cleanup()
})

type Row = [name: string, path: string | (() => string), verdict: 'allow' | 'ask' | 'deny', reason: string]
const at = (row: Row): string => (typeof row[1] === 'function' ? row[1]() : row[1])

describe('checkRead: hostile paths', () => {
  const rows: Row[] = [
    ['a file inside the root is allowed', 'src/a.ts', 'allow', 'inside the project'],
    ['a file that does not exist yet is judged by its nearest parent', 'src/new/later.ts', 'allow', 'inside the project'],
    ['`..` out of the root asks', '../outside/secret.txt', 'ask', 'outside the project'],
    ['`..` through a subfolder asks', 'src/../../outside/secret.txt', 'ask', 'outside the project'],
    ['`..` far past the file system root asks', 'a/../../../../../../../etc/passwd', 'ask', 'outside the project'],
    ['an absolute path outside asks', '/etc/passwd', 'ask', 'outside the project'],
    ['percent-encoded dots are a plain name, not traversal', '%2e%2e/%2e%2e/etc/passwd', 'allow', 'inside the project'],
    ['encoded slashes are a plain name, not traversal', '..%2f..%2fetc%2fpasswd', 'allow', 'inside the project'],
    ['backslashes are part of a name on POSIX', '..\\..\\etc\\passwd', 'allow', 'inside the project'],
    ['a file symlink leading outside asks', 'link-out', 'ask', 'which leads to'],
    ['a symlinked parent folder leading outside asks', 'linkdir/secret.txt', 'ask', 'outside the project'],
    ['a dangling symlink is judged by where it leads', 'dangling', 'ask', 'outside the project'],
    ['a chain of symlinks is followed to its end', 'chain1', 'ask', 'outside the project'],
    ['`..` after a symlinked folder goes where the kernel goes', 'deep/../secret.txt', 'ask', 'outside the project'],
    ['a symlink loop is refused', 'loop1', 'deny', 'cannot resolve'],
    ['.env is forbidden', '.env', 'deny', 'forbidden by permissions.forbidden (.env)'],
    ['.env.local is forbidden', '.env.local', 'deny', 'permissions.forbidden (.env.*)'],
    ['a nested config/.env is forbidden', 'config/.env', 'deny', 'permissions.forbidden (.env)'],
    ['.ENV in capitals is forbidden (case-insensitive file systems)', '.ENV', 'deny', 'permissions.forbidden (.env)'],
    ['mixed-case nested .Env.Local is forbidden', 'config/.Env.Local', 'deny', 'permissions.forbidden (.env.*)'],
    ['server.key is forbidden', 'server.key', 'deny', 'permissions.forbidden (*.key)'],
    ['id_rsa.pub is forbidden', 'id_rsa.pub', 'deny', 'permissions.forbidden (id_rsa*)'],
    ['my_api_key.txt is forbidden', 'my_api_key.txt', 'deny', 'permissions.forbidden (*_api_key*)'],
    ['MY_API_KEY.TXT is forbidden', 'MY_API_KEY.TXT', 'deny', 'permissions.forbidden (*_api_key*)'],
    ['the committed .env.example template stays readable', '.env.example', 'allow', 'inside the project'],
    ['a harmless name linking to .env is forbidden', 'innocent.txt', 'deny', 'which leads to .env'],
    ['`..` back into .env is forbidden', 'src/../.env', 'deny', 'permissions.forbidden (.env)'],
    ['an absolute path to .env is forbidden', () => path.join(fixture.root, '.env'), 'deny', 'permissions.forbidden (.env)'],
    ['a key in ~/.ssh outside the root is forbidden, not just outside', () => path.join(fixture.home, '.ssh/id_rsa'), 'deny', 'permissions.forbidden (.ssh)'],
    ['a zero-width space hiding in .env is refused', '.env\u200b', 'deny', 'U+200B'],
    ['a right-to-left override is refused', 'evil\u202etxt.sh', 'deny', 'U+202E'],
    ['a newline in a path is refused', 'a\nb', 'deny', 'U+000A'],
    ['an escape sequence in a path is refused', 'a\u001b[2Jb', 'deny', 'U+001B'],
    ['a NUL byte is refused', 'src/a.ts\0.png', 'deny', 'NUL byte'],
    ['a path over 4096 bytes is refused', 'a/'.repeat(2100), 'deny', 'the limit is 4096'],
    ['a name over 255 bytes is refused', 'x'.repeat(256), 'deny', 'the limit is 255'],
    ['a name of 128 two-byte characters is over 255 bytes', 'é'.repeat(128), 'deny', 'the limit is 255'],
    ['an empty path is refused', '', 'deny', 'empty'],
    ['.git/config can be read', '.git/config', 'allow', 'inside the project'],
  ]

  it.each(rows)('%s', async (...row) => {
    const decision = await policy.checkRead(at(row))
    expect(decision.verdict, decision.reason).toBe(row[2])
    expect(decision.reason).toContain(row[3])
  })
})

describe('checkWrite: hostile paths', () => {
  const rows: Row[] = [
    ['inside the root asks for confirmation by default', 'src/a.ts', 'ask', 'permissions.writes is "ask"'],
    ['a new file in new folders asks', 'src/new/dir/file.ts', 'ask', 'needs confirmation'],
    ['.git/config is read-only', '.git/config', 'deny', 'read-only by permissions.readOnly (.git)'],
    ['the .git folder itself is read-only', '.git', 'deny', 'permissions.readOnly (.git)'],
    ['.GIT/config in capitals is read-only too', '.GIT/config', 'deny', 'permissions.readOnly (.git)'],
    ["faithh's own config cannot be changed by tools", '.faithh/config.json', 'deny', "faithh's own configuration"],
    ['an absolute path outside is denied, naming the config key', '/etc/passwd', 'deny', 'permissions.writeRoots'],
    ['`..` out of the root is denied', '../outside/x.txt', 'deny', 'outside the write roots'],
    ['a file symlink leading outside is denied', 'link-out', 'deny', 'which leads to'],
    ['a symlinked parent folder leading outside is denied', 'linkdir/new.txt', 'deny', 'outside the write roots'],
    ['a dangling symlink cannot create a file outside', 'dangling', 'deny', 'outside the write roots'],
    ['a symlink chain leading outside is denied', 'chain1', 'deny', 'outside the write roots'],
    ['`..` after a symlinked folder is denied where it really lands', 'deep/../new.txt', 'deny', 'outside the write roots'],
    ['.env cannot be written', '.env', 'deny', 'forbidden by permissions.forbidden'],
    ['.ENV cannot be written', '.ENV', 'deny', 'forbidden by permissions.forbidden'],
    ['a link to .env cannot be written', 'innocent.txt', 'deny', 'forbidden by permissions.forbidden'],
    ['~/.bashrc cannot be written', () => path.join(fixture.home, '.bashrc'), 'deny', 'outside the write roots'],
    ['a NUL byte is refused', 'a\0b', 'deny', 'NUL byte'],
    ['a zero-width joiner is refused', 'src/a\u200d.ts', 'deny', 'U+200D'],
  ]

  it.each(rows)('%s', async (...row) => {
    const decision = await policy.checkWrite(at(row))
    expect(decision.verdict, decision.reason).toBe(row[2])
    expect(decision.reason).toContain(row[3])
  })
})

describe('path decisions carry where the path leads', () => {
  it('gives the real absolute path and the root-relative path', async () => {
    const decision = await policy.checkWrite('src/../src/./a.ts')
    expect(decision).toMatchObject({abs: path.join(fixture.root, 'src/a.ts'), rel: 'src/a.ts'})
  })

  it('gives no rel for a path outside the root, and the real target of a link', async () => {
    const decision = await policy.checkRead('link-out')
    expect(decision.abs).toBe(path.join(fixture.outside, 'secret.txt'))
    expect(decision.rel).toBeUndefined()
  })

  it('resolves relative paths against cwd', async () => {
    const decision = await policy.checkRead('a.ts', {cwd: 'src'})
    expect(decision).toMatchObject({verdict: 'allow', rel: 'src/a.ts'})
  })
})

describe('configuration changes the verdicts', () => {
  type ConfigRow = [name: string, config: PermissionsConfigInput, check: 'read' | 'write', path: string | (() => string), verdict: string, reason: string]
  const rows: ConfigRow[] = [
    ['writes "allow" approves writes inside the roots', {writes: 'allow'}, 'write', 'src/a.ts', 'allow', 'permissions.writes is "allow"'],
    ['writes "allow" still denies forbidden files', {writes: 'allow'}, 'write', '.env', 'deny', 'forbidden'],
    ['a narrower write root denies the rest of the project', {writeRoots: ['src']}, 'write', 'README.md', 'deny', 'permissions.writeRoots: src'],
    ['a narrower write root allows inside it', {writeRoots: ['src']}, 'write', 'src/a.ts', 'ask', 'needs confirmation'],
    [
      'an absolute write root outside the project allows writing there',
      {writeRoots: ['.', '/tmp/faithh-build']},
      'write',
      '/tmp/faithh-build/out.txt',
      'ask',
      'needs confirmation',
    ],
    ['a decomposed (NFD) name matches a composed (NFC) pattern', {forbidden: ['café.txt']}, 'read', 'cafe\u0301.txt', 'deny', 'forbidden'],
    ['a pattern with a slash is anchored at the root', {readOnly: ['docs/**']}, 'write', 'docs/x.md', 'deny', 'read-only'],
    ['an anchored pattern does not match deeper folders', {readOnly: ['docs/**']}, 'write', 'src/docs/x.md', 'ask', 'needs confirmation'],
    ['a "!" pattern lifts an earlier one', {forbidden: ['*.pem', '!public.pem']}, 'read', 'public.pem', 'allow', 'inside the project'],
    ['replacing the forbidden list drops the defaults', {forbidden: ['secrets/**']}, 'read', '.env', 'allow', 'inside the project'],
    ['.faithh stays read-only whatever readOnly says', {readOnly: []}, 'write', '.faithh/config.json', 'deny', "faithh's own"],
  ]

  it.each(rows)('%s', async (_name, config, check, target, verdict, reason) => {
    const p = typeof target === 'function' ? target() : target
    const decision = await (check === 'read' ? policyWith(config).checkRead(p) : policyWith(config).checkWrite(p))
    expect(decision.verdict, decision.reason).toBe(verdict)
    expect(decision.reason).toContain(reason)
  })
})

describe('isForbidden (for walkers)', () => {
  it.each([
    ['.env', true],
    ['config/.ENV', true],
    ['.ssh/config', true],
    ['src/a.ts', false],
    ['.env.example', false],
  ])('%s -> %s', (rel, expected) => {
    expect(policy.isForbidden(rel)).toBe(expected)
  })
})

it('changed nothing on disk, inside the root or outside it', async () => {
  expect(await fixture.snapshot()).toBe(before)
})
