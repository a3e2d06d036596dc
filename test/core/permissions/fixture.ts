import {mkdir, mkdtemp, realpath, rm, symlink, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {snapshotTree} from '../../support/tree-snapshot.js'

/**
 * A project with the traps a hostile model or repository would set (secrets, links out of the root,
 * a link loop), a fake home with dotfiles and keys, and a sentinel folder. The policy only ever reads:
 * `snapshot()` before and after a suite proves it changed nothing, inside the root or outside it.
 */
export interface PolicyFixture {
  base: string
  root: string
  home: string
  outside: string
  sentinel: string
  snapshot(): Promise<string>
  cleanup(): Promise<void>
}

export async function createPolicyFixture(): Promise<PolicyFixture> {
  // realpath: on macOS the temp folder is itself behind a symlink (/var -> /private/var).
  const base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'faithh-permissions-')))
  const root = path.join(base, 'project')
  const home = path.join(base, 'home')
  const outside = path.join(base, 'outside')
  const sentinel = path.join(base, 'sentinel')

  const files: Record<string, string> = {
    'project/src/a.ts': 'export const a = 1\n',
    'project/scripts/build.js': 'console.log("build")\n',
    'project/README.md': '# project\n',
    'project/.env': 'API_KEY=secret\n',
    'project/.env.local': 'API_KEY=local\n',
    'project/.env.example': 'API_KEY=\n',
    'project/config/.env': 'NESTED=secret\n',
    'project/server.key': 'PRIVATE\n',
    'project/id_rsa.pub': 'ssh-rsa AAAA\n',
    'project/my_api_key.txt': 'sk-123\n',
    'project/.git/config': '[core]\n',
    'project/.faithh/config.json': '{}\n',
    'outside/secret.txt': 'outside secret\n',
    'outside/sub/inner.txt': 'inner\n',
    'home/.bashrc': 'export PS1=x\n',
    'home/.ssh/id_rsa': 'PRIVATE KEY\n',
    'sentinel/keep.txt': 'do not touch\n',
  }
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(base, file)), {recursive: true})
    await writeFile(path.join(base, file), content)
  }

  const links: Record<string, string> = {
    'link-out': '../outside/secret.txt',
    linkdir: '../outside',
    dangling: '../outside/not-yet.txt',
    chain1: 'chain2',
    chain2: '../outside/secret.txt',
    'innocent.txt': '.env',
    loop1: 'loop2',
    loop2: 'loop1',
    // `deep/../secret.txt`: the kernel resolves `deep` first, so `..` lands in outside/, not in the project.
    deep: '../outside/sub',
  }
  for (const [name, target] of Object.entries(links)) await symlink(target, path.join(root, name))

  return {
    base,
    root,
    home,
    outside,
    sentinel,
    snapshot: () => snapshotTree(base),
    cleanup: () => rm(base, {recursive: true, force: true}),
  }
}
