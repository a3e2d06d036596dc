import {createHash, timingSafeEqual} from 'node:crypto'
import {networkInterfaces} from 'node:os'

/**
 * Who may talk to `faithh serve`. The agent behind it reads, writes and runs things in the project,
 * so a web page the user happens to visit must not be able to drive it:
 * - Host must name this server (loopback name and port): a DNS-rebinding page arrives with its own name.
 * - Origin, when a browser sends one, must be this server; a POST must carry it: that is what blocks
 *   a cross-site form or fetch (CSRF). No CORS headers are ever sent, so other origins cannot read answers.
 * - Every request carries the per-run token: in a header for the API (never a cookie, which a browser
 *   would attach by itself), in the URL or a SameSite=Strict cookie for the page and its two files.
 */
export interface GuardOptions {
  token: string
  /** The address the server is bound to, e.g. 127.0.0.1, and its port. */
  host: string
  port: number
}

export type GuardVerdict = {ok: true} | {ok: false; status: 401 | 403; message: string}

export interface GuardedRequest {
  method?: string
  url?: string
  headers: Record<string, string | string[] | undefined>
}

export const TOKEN_HEADER = 'x-faithh-token'

export function tokenCookieName(port: number): string {
  // Cookies are shared by every port of a host: name it per port so two servers do not clobber each other.
  return `faithh_token_${port}`
}

export function createRequestGuard({token, host, port}: GuardOptions): (request: GuardedRequest) => GuardVerdict {
  const allowedHosts = new Set(hostNames(host).map((name) => `${name}:${port}`))
  return (request) => {
    const hostHeader = single(request.headers.host)?.toLowerCase()
    if (!hostHeader || !allowedHosts.has(hostHeader)) {
      return {ok: false, status: 403, message: `this server answers only to ${[...allowedHosts][0]} (Host ${hostHeader ? `"${hostHeader}"` : 'missing'})`}
    }

    const origin = single(request.headers.origin)
    const method = (request.method ?? 'GET').toUpperCase()
    const reads = method === 'GET' || method === 'HEAD'
    if (origin !== undefined && origin !== `http://${hostHeader}`) return {ok: false, status: 403, message: `requests from ${origin} are not allowed`}
    if (!reads && origin === undefined) return {ok: false, status: 403, message: `a ${method} needs an Origin header of http://${hostHeader}`}
    if (single(request.headers['sec-fetch-site']) === 'cross-site') return {ok: false, status: 403, message: 'cross-site requests are not allowed'}

    const url = new URL(request.url ?? '/', 'http://x')
    const isApi = url.pathname.startsWith('/api/')
    const given = isApi
      ? single(request.headers[TOKEN_HEADER])
      : (url.searchParams.get('token') ?? cookie(single(request.headers.cookie), tokenCookieName(port)))
    if (!given || !sameSecret(given, token)) {
      return {
        ok: false,
        status: 401,
        message: isApi ? `missing or wrong ${TOKEN_HEADER} header` : 'missing or wrong token — open the URL `faithh serve` printed',
      }
    }

    if (!isApi && !reads) return {ok: false, status: 403, message: `${method} is not allowed here`}
    return {ok: true}
  }
}

/** Constant time, whatever the lengths: compare digests, never the strings. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase()
  return bare === 'localhost' || bare === '::1' || /^127(?:\.\d{1,3}){3}$/.test(bare)
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]'])

/** The names a browser may put in Host for a server bound to `host`. */
function hostNames(host: string): string[] {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]'])
  if (WILDCARDS.has(host)) {
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) names.add(address.family === 'IPv6' ? `[${address.address}]` : address.address)
    }
  } else if (!isLoopback(host)) {
    names.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host.toLowerCase())
  } else {
    names.add(host.includes(':') && !host.startsWith('[') ? `[${host}]` : host)
  }

  return [...names]
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return rest.join('=')
  }

  return undefined
}
