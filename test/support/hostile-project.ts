import {execFileSync, spawn} from 'node:child_process'
import {randomBytes} from 'node:crypto'
import {mkdir, mkdtemp, readdir, readFile, realpath, rm, symlink, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

import {snapshotTree} from './tree-snapshot.js'

/**
 * A project next to what a hostile script would go for: a fake home with planted keys and tokens,
 * another project, and a sentinel folder. `snapshotOutside()` before and after a run proves nothing
 * outside the project changed; the secrets are random, so finding one in any output means it leaked.
 */
export interface HostileProject {
  base: string
  root: string
  home: string
  outside: string
  sentinel: string
  /** Planted in ~/.ssh/id_rsa. */
  sshKey: string
  /** Planted in ~/.aws/credentials. */
  awsKey: string
  /** For the environment of the run, as AWS_SECRET_ACCESS_KEY. */
  envSecret: string
  /** Unique per fixture: names files and processes the escapes create, to look for them afterwards. */
  marker: string
  secrets(): string[]
  snapshotOutside(): Promise<string>
  cleanup(): Promise<void>
}

export async function createHostileProject(projectFiles: Record<string, string> = {}): Promise<HostileProject> {
  const base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'faithh-hostile-')))
  const marker = `faithh-escape-${randomBytes(4).toString('hex')}`
  const sshKey = `-----BEGIN OPENSSH PRIVATE KEY----- ${randomBytes(16).toString('hex')} -----END OPENSSH PRIVATE KEY-----`
  const awsKey = `aws-${randomBytes(16).toString('hex')}`
  const envSecret = `env-${randomBytes(16).toString('hex')}`
  const root = path.join(base, 'project')
  const home = path.join(base, 'home')
  const outside = path.join(base, 'other-project')
  const sentinel = path.join(base, 'sentinel')

  const files: Record<string, string> = {
    'home/.ssh/id_rsa': `${sshKey}\n`,
    'home/.aws/credentials': `[default]\naws_secret_access_key = ${awsKey}\n`,
    'home/.npmrc': '//registry.npmjs.org/:_authToken=npm_planted\n',
    'home/.bashrc': 'export PS1=x\n',
    'other-project/notes.txt': 'another project\n',
    'sentinel/keep.txt': 'do not touch\n',
    ...Object.fromEntries(Object.entries(projectFiles).map(([rel, content]) => [`project/${rel}`, content])),
  }
  for (const [file, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(base, file)), {recursive: true})
    await writeFile(path.join(base, file), content)
  }

  await mkdir(root, {recursive: true})
  execFileSync('git', ['init', '-q'], {cwd: root})
  // A link a hostile repository ships: into the home folder, absolute.
  await symlink(home, path.join(root, 'homelink'))

  return {
    base,
    root,
    home,
    outside,
    sentinel,
    sshKey,
    awsKey,
    envSecret,
    marker,
    secrets: () => [sshKey, awsKey, envSecret, 'npm_planted'],
    snapshotOutside: () => snapshotTree(base, (rel) => rel === 'project'),
    cleanup: () => rm(base, {recursive: true, force: true}),
  }
}

/** Processes whose command line mentions `marker` (but those in `except`): what must not outlive a run. */
export async function processesWith(marker: string, except: ReadonlyArray<number | undefined> = []): Promise<number[]> {
  const found: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid || except.includes(Number(entry))) continue
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')
    if (cmdline.includes(marker)) found.push(Number(entry))
  }

  return found
}

/** A service on this machine's loopback, as a hostile script would find one: what reached it. */
export interface LoopbackListener {
  port: number
  connections: number
  received: string
  close(): void
}

/**
 * In a process of its own: faithh never carries its own listeners into a sandbox, so a listener in
 * the test process would prove nothing. It reports each connection and what it read on stdout.
 */
export async function startLoopbackListener(): Promise<LoopbackListener> {
  const source = `const server = require('net').createServer((socket) => {
    console.log(JSON.stringify({connected: true}))
    socket.on('data', (data) => console.log(JSON.stringify({data: data.toString()})))
  })
  server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({port: server.address().port})))`
  const child = spawn(process.execPath, ['-e', source], {stdio: ['ignore', 'pipe', 'inherit']})
  const listener: LoopbackListener = {port: 0, connections: 0, received: '', close: () => child.kill()}
  await new Promise<void>((resolve) => {
    let buffer = ''
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      for (let end = buffer.indexOf('\n'); end !== -1; end = buffer.indexOf('\n')) {
        const message = JSON.parse(buffer.slice(0, end)) as {port?: number; connected?: boolean; data?: string}
        buffer = buffer.slice(end + 1)
        if (message.connected) listener.connections++
        if (message.data) listener.received += message.data
        if (message.port) {
          listener.port = message.port
          resolve()
        }
      }
    })
  })
  return listener
}
