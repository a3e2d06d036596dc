import {isIP} from 'node:net'

/**
 * Connections seen by `strace -f -e trace=connect,sendto,sendmsg`: every socket address a process
 * (or any of its children: the embedded Chroma, a sandboxed command) handed to the kernel.
 */
export interface TracedAddress {
  pid: number
  call: string
  family: string
  /** For AF_INET/AF_INET6; undefined when strace printed it in a form not understood (counted as leaving). */
  address?: string
  port?: number
  line: string
}

/** Families that never leave the machine: unix sockets, the kernel's netlink, and "disconnect" (AF_UNSPEC). */
const LOCAL_FAMILIES = new Set(['AF_UNIX', 'AF_LOCAL', 'AF_NETLINK', 'AF_UNSPEC'])

/**
 * Every socket address in an strace log. A line may hold several (`sendmsg`'s msg_name); a call
 * interrupted by another process's output is printed `<unfinished ...>` with its address, and
 * resumed later without it, so reading the addresses where they appear misses nothing.
 */
export function parseStraceLog(log: string): TracedAddress[] {
  const found: TracedAddress[] = []
  const unfinished = new Map<number, TracedAddress[]>()
  for (const line of log.split('\n')) {
    // `123 <... connect resumed>) = -1 ENETUNREACH …`: the result belongs to that process's unfinished call.
    const resumed = /^(\d+)\s+<\.\.\. \w+ resumed>(.*)$/.exec(line)
    if (resumed) {
      for (const entry of unfinished.get(Number(resumed[1])) ?? []) entry.line += ` … ${resumed[2]}`
      unfinished.delete(Number(resumed[1]))
      continue
    }

    const head = /^(?:\[pid\s+)?(\d+)\]?\s+(\w+)\(/.exec(line)
    if (!head) continue
    const pid = Number(head[1])
    const call = head[2]!
    const families = [...line.matchAll(/sa_family=(AF_[A-Z0-9]+)/g)]
    for (const [index, match] of families.entries()) {
      const family = match[1]!
      const end = families[index + 1]?.index ?? line.length
      const text = line.slice(match.index, end)
      if (family === 'AF_INET' || family === 'AF_INET6') {
        const port = /sin6?_port=htons\((\d+)\)/.exec(text)?.[1]
        const address = (family === 'AF_INET' ? /sin_addr=inet_addr\("([^"]+)"\)/ : /inet_pton\(AF_INET6, "([^"]+)"/).exec(text)?.[1]
        found.push({pid, call, family, address: address && isIP(address) ? address : undefined, port: port ? Number(port) : undefined, line})
      } else {
        found.push({pid, call, family, line})
      }
    }

    if (line.endsWith('<unfinished ...>')) unfinished.set(pid, found.slice(found.length - families.length))
  }

  return found
}

/** 127.0.0.0/8, ::1, and ::ffff:127.x.x.x (IPv4 loopback as a v6 dual-stack socket writes it). */
export function isLoopback(address: string): boolean {
  const v4 = address.toLowerCase().replace(/^::ffff:/, '')
  if (isIP(v4) === 4) return v4.startsWith('127.')
  return address === '::1' || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(address)
}

/** What left (or tried to leave) the machine: anything not local, not loopback, and not one of `allowed` (addresses). */
export function leavingTheMachine(addresses: TracedAddress[], allowed: string[] = []): TracedAddress[] {
  return addresses.filter((entry) => {
    if (LOCAL_FAMILIES.has(entry.family)) return false
    if (entry.family !== 'AF_INET' && entry.family !== 'AF_INET6') return true
    if (entry.address === undefined) return true
    return !isLoopback(entry.address) && !allowed.includes(entry.address)
  })
}
