import {readdir, readFile, readlink, writeFile} from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'

/**
 * `network: loopback` under bwrap: the sandbox keeps its own network namespace (nothing outside
 * this machine is reachable), and the services listening on this machine's loopback when the
 * command starts are carried in through unix sockets. faithh listens on `<dir>/<port>.sock` and
 * connects each client to the real port; inside, a small forwarder (node, which faithh runs on
 * anyway) listens on 127.0.0.1 and ::1 at the same port and connects to the socket.
 *
 * faithh's own listeners (`faithh serve` answers confirmations) are never carried in.
 */
export interface LoopbackBridge {
  ports: number[]
  /** The forwarder script, written into the bridge folder. */
  forwarder: string
  close(): Promise<void>
}

export interface ListeningPort {
  port: number
  /** Where the service listens: the address faithh connects to. */
  host: '127.0.0.1' | '::1'
}

export async function openLoopbackBridge(dir: string): Promise<LoopbackBridge> {
  const [tcp, tcp6, own] = await Promise.all([
    readFile('/proc/net/tcp', 'utf8').catch(() => ''),
    readFile('/proc/net/tcp6', 'utf8').catch(() => ''),
    ownSocketInodes(),
  ])
  const listening = listeningLoopbackPorts(tcp, tcp6, own)
  const servers = await Promise.all(
    listening.map(
      ({port, host}) =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer((client) => splice(client, net.connect({host, port})))
          server.once('error', reject)
          server.listen(path.join(dir, `${port}.sock`), () => resolve(server))
        }),
    ),
  )
  const forwarder = path.join(dir, 'forwarder.mjs')
  await writeFile(forwarder, FORWARDER_SOURCE)
  return {
    ports: listening.map(({port}) => port),
    forwarder,
    close: () => Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())))).then(() => undefined),
  }
}

/**
 * Listening TCP sockets (state 0A) on a loopback or wildcard address, from /proc/net/tcp and tcp6,
 * minus the sockets whose inode is in `exclude`. Addresses there are hex, each 32-bit word in host
 * (little-endian) order: 0100007F is 127.0.0.1.
 */
export function listeningLoopbackPorts(tcp: string, tcp6: string, exclude: ReadonlySet<string> = new Set()): ListeningPort[] {
  const found = new Map<number, ListeningPort['host']>()
  const scan = (table: string, v6: boolean) => {
    for (const line of table.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/)
      const [address, portHex] = (fields[1] ?? '').split(':')
      if (fields[3] !== '0A' || !address || !portHex || exclude.has(fields[9] ?? '')) continue
      const host = v6 ? v6Loopback(address) : v4Loopback(address)
      if (!host) continue
      const port = Number.parseInt(portHex, 16)
      if (!found.has(port) || host === '127.0.0.1') found.set(port, host)
    }
  }

  scan(tcp, false)
  scan(tcp6, true)
  return [...found].sort(([a], [b]) => a - b).map(([port, host]) => ({port, host}))
}

function v4Loopback(hex: string): ListeningPort['host'] | undefined {
  // Little-endian: the first octet is the last byte pair. 127.x.x.x, or 0.0.0.0 (every address).
  if (hex === '00000000' || hex.slice(6, 8) === '7F') return '127.0.0.1'
  return undefined
}

function v6Loopback(hex: string): ListeningPort['host'] | undefined {
  if (hex === '00000000000000000000000001000000') return '::1'
  if (hex === '00000000000000000000000000000000') return '::1'
  // ::ffff:127.x.x.x, the v4-mapped form.
  if (/^0000000000000000FFFF0000[0-9A-F]{6}7F$/i.test(hex)) return '127.0.0.1'
  return undefined
}

async function ownSocketInodes(): Promise<Set<string>> {
  const inodes = new Set<string>()
  const fds = await readdir('/proc/self/fd').catch(() => [] as string[])
  for (const fd of fds) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '')
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1]
    if (inode) inodes.add(inode)
  }

  return inodes
}

function splice(a: net.Socket, b: net.Socket): void {
  const close = () => {
    a.destroy()
    b.destroy()
  }

  a.pipe(b).pipe(a)
  for (const socket of [a, b]) {
    socket.on('error', close)
    socket.on('close', close)
  }
}

/**
 * Runs inside the sandbox as `node forwarder.mjs <sockets dir> <port>… -- <command…>`: listens on each
 * port on the sandbox's loopback, then runs the command on its own stdio and exits as it does. It
 * ignores SIGTERM and SIGINT (sent to the whole group): when the command is gone, the sandbox is too.
 */
const FORWARDER_SOURCE = `import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import {fstatSync} from 'node:fs'
import {spawn} from 'node:child_process'

const separator = process.argv.indexOf('--')
const [dir, ...ports] = process.argv.slice(2, separator)
const command = process.argv.slice(separator + 1)
const servers = []
const listen = (port, host) =>
  new Promise((resolve) => {
    const server = net.createServer((client) => {
      const upstream = net.connect(path.join(dir, port + '.sock'))
      const close = () => { client.destroy(); upstream.destroy() }
      client.pipe(upstream).pipe(client)
      for (const socket of [client, upstream]) { socket.on('error', close); socket.on('close', close) }
    })
    server.once('error', () => resolve())
    server.listen(Number(port), host, () => resolve())
    servers.push(server)
  })
await Promise.all(ports.flatMap((port) => [listen(port, '127.0.0.1'), listen(port, '::1')]))
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(signal, () => {})
// fd 3 is the command entry's report channel; a long-running program (an MCP server) has none.
const report = (() => { try { fstatSync(3); return 3 } catch { return 'ignore' } })()
const child = spawn(command[0], command.slice(1), {stdio: ['inherit', 'inherit', 'inherit', report]})
child.on('error', (error) => { console.error(error.message); process.exit(127) })
child.on('exit', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 1)))
`
