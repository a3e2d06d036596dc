import {describe, expect, it} from 'vitest'

import type {ConfirmEvent} from '../../src/core/session/events.js'
import {createRequestGuard, isLoopback, sameSecret} from '../../src/server/guard.js'
import {WebConfirmations} from '../../src/server/web-confirmer.js'

const TOKEN = 'tok-3MW7u2MD032CD8rxVjq1V6TQ'
const guard = createRequestGuard({token: TOKEN, host: '127.0.0.1', port: 5557})
const own = {host: '127.0.0.1:5557', origin: 'http://127.0.0.1:5557', 'x-faithh-token': TOKEN}

describe('request guard: hostile requests', () => {
  const rows: {name: string; method?: string; url?: string; headers: Record<string, string | string[] | undefined>; status: number | 'ok'}[] = [
    {name: "the page's own API POST", method: 'POST', url: '/api/agent/chat', headers: own, status: 'ok'},
    {
      name: "the page's own API GET (browsers send no Origin on same-origin GETs)",
      url: '/api/sessions',
      headers: {host: own.host, 'x-faithh-token': TOKEN},
      status: 'ok',
    },
    {
      name: 'localhost as the name',
      method: 'POST',
      url: '/api/agent/chat',
      headers: {...own, host: 'localhost:5557', origin: 'http://localhost:5557'},
      status: 'ok',
    },
    {name: 'the page by its URL token', url: `/?token=${TOKEN}`, headers: {host: own.host}, status: 'ok'},
    {name: 'a file by the cookie', url: '/app.js', headers: {host: own.host, cookie: `other=1; faithh_token_5557=${TOKEN}`}, status: 'ok'},
    {name: 'no Host', url: '/api/sessions', headers: {'x-faithh-token': TOKEN}, status: 403},
    {name: 'a rebinding Host', url: '/api/sessions', headers: {host: 'attacker.example:5557', 'x-faithh-token': TOKEN}, status: 403},
    {name: 'a Host without the port', url: '/api/sessions', headers: {host: '127.0.0.1', 'x-faithh-token': TOKEN}, status: 403},
    {name: 'a Host with a suffix', url: '/api/sessions', headers: {host: '127.0.0.1:5557.attacker.example', 'x-faithh-token': TOKEN}, status: 403},
    {name: 'two Host headers', url: '/api/sessions', headers: {host: ['127.0.0.1:5557', 'evil:5557'], 'x-faithh-token': TOKEN}, status: 403},
    {name: 'a foreign Origin', method: 'POST', url: '/api/agent/chat', headers: {...own, origin: 'https://attacker.example'}, status: 403},
    {name: 'Origin null (sandboxed frame, file://)', method: 'POST', url: '/api/agent/chat', headers: {...own, origin: 'null'}, status: 403},
    {name: 'an https Origin of the same host', method: 'POST', url: '/api/agent/chat', headers: {...own, origin: 'https://127.0.0.1:5557'}, status: 403},
    {name: 'a POST without Origin', method: 'POST', url: '/api/agent/chat', headers: {host: own.host, 'x-faithh-token': TOKEN}, status: 403},
    {name: 'Sec-Fetch-Site cross-site', url: '/api/sessions', headers: {host: own.host, 'x-faithh-token': TOKEN, 'sec-fetch-site': 'cross-site'}, status: 403},
    {name: 'no token', method: 'POST', url: '/api/agent/chat', headers: {host: own.host, origin: own.origin}, status: 401},
    {name: 'a token prefix', url: '/api/sessions', headers: {host: own.host, 'x-faithh-token': TOKEN.slice(0, -1)}, status: 401},
    {name: 'the token plus a character', url: '/api/sessions', headers: {host: own.host, 'x-faithh-token': TOKEN + 'x'}, status: 401},
    {
      name: 'the cookie for the API (a browser would attach it cross-site)',
      url: '/api/sessions',
      headers: {host: own.host, cookie: `faithh_token_5557=${TOKEN}`},
      status: 401,
    },
    {name: 'the URL token for the API', url: `/api/sessions?token=${TOKEN}`, headers: {host: own.host}, status: 401},
    {name: "another port's cookie", url: '/app.js', headers: {host: own.host, cookie: `faithh_token_5558=${TOKEN}`}, status: 401},
    {name: 'a POST to a page path', method: 'POST', url: `/?token=${TOKEN}`, headers: {host: own.host, origin: own.origin}, status: 403},
  ]

  it.each(rows)('$name → $status', ({method, url, headers, status}) => {
    const verdict = guard({method, url, headers})
    expect(verdict.ok ? 'ok' : verdict.status).toBe(status)
  })

  it('compares secrets whatever their lengths', () => {
    expect(sameSecret(TOKEN, TOKEN)).toBe(true)
    expect(sameSecret('', TOKEN)).toBe(false)
    expect(sameSecret(TOKEN + TOKEN, TOKEN)).toBe(false)
  })

  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
    ['127.0.0.1.attacker.example', false],
    ['localhost.attacker.example', false],
  ] as const)('isLoopback(%s) is %s', (host, loopback) => {
    expect(isLoopback(host)).toBe(loopback)
  })
})

describe('web confirmations', () => {
  const request = {kind: 'write', tool: 'write_file', rel: 'a.txt', diff: '+x', created: true} as const

  it('sends the request with an id and resolves with the answer given for that id', async () => {
    const confirmations = new WebConfirmations(10_000)
    const sent: ConfirmEvent[] = []
    const answer = confirmations.confirmer((event) => sent.push(event), new AbortController().signal).confirm(request)
    expect(sent).toEqual([{type: 'confirm', id: expect.any(String), request, timeoutMs: 10_000}])
    expect(confirmations.answer('other', {approved: true, remember: false})).toBe(false)
    expect(confirmations.answer(sent[0]!.id, {approved: true, remember: true})).toBe(true)
    await expect(answer).resolves.toEqual({approved: true, remember: true})
    expect(confirmations.answer(sent[0]!.id, {approved: true, remember: false})).toBe(false)
  })

  it('refuses when nobody answers in time', async () => {
    const confirmations = new WebConfirmations(30)
    const answer = await confirmations.confirmer(() => {}, new AbortController().signal).confirm(request)
    expect(answer).toEqual({approved: false, reason: 'nobody answered in the web UI within 0 s'})
  })

  it('refuses when the page goes away', async () => {
    const confirmations = new WebConfirmations(10_000)
    const controller = new AbortController()
    const answer = confirmations.confirmer(() => {}, controller.signal).confirm(request)
    controller.abort()
    await expect(answer).resolves.toMatchObject({approved: false, reason: expect.stringContaining('went away')})
  })
})
