import {execa} from 'execa'
import {readFile, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeEach, describe, expect, it} from 'vitest'

import {CLI_BIN, runCli} from '../support/cli.js'
import {cliFixture} from '../support/cli-fixture.js'
import {rawRequest, startServe, streamChat, type ServeEvent, type ServeProcess} from '../support/serve.js'

const BROKEN = 'export const add = (a, b) => a - b\n'
const FIXED = 'export const add = (a, b) => a + b\n'

const {ollama, project} = await cliFixture({files: {'math.js': BROKEN}})
const server: ServeProcess = await startServe([], {cwd: project.root, host: ollama.url})
afterAll(() => server.stop())
beforeEach(async () => {
  await writeFile(path.join(project.root, 'math.js'), BROKEN)
})

const fix = () =>
  ollama.script([{tool_calls: [{name: 'edit_file', arguments: {path: 'math.js', old_text: 'a - b', new_text: 'a + b'}}]}, {content: 'Fixed the operator.'}])

const answer = (id: unknown, body: object) =>
  rawRequest(`${server.origin}/api/confirm/${String(id)}`, {
    method: 'POST',
    headers: {'content-type': 'application/json', origin: server.origin, 'x-faithh-token': server.token},
    body: JSON.stringify(body),
  })

const api = (pathname: string) => rawRequest(`${server.origin}${pathname}`, {headers: {'x-faithh-token': server.token}})
/** Event types in order, usage left out and a run of text deltas counted once. */
const types = (events: ServeEvent[]) =>
  events
    .map((e) => e.type)
    .filter((t) => t !== 'usage')
    .filter((t, i, all) => !(t === 'text' && all[i - 1] === 'text'))

describe('faithh serve: the chat API', () => {
  it("streams the agent's events as Server-Sent Events, and a second message continues the session", async () => {
    ollama.script([{tool_calls: [{name: 'read_file', arguments: {path: 'math.js'}}]}, {content: 'add subtracts: a bug.'}, {content: 'Yes, really.'}])
    const first = await streamChat(server, {message: 'what does add do?', agent_mode: true, use_rag: false})

    expect(first.status).toBe(200)
    expect(first.headers['content-type']).toMatch(/^text\/event-stream/)
    expect(types(first.events)).toEqual(['session', 'start', 'tool_call', 'tool_result', 'text', 'final'])
    expect(first.events.find((e) => e.type === 'tool_call')).toMatchObject({name: 'read_file', arguments: {path: 'math.js'}})
    expect(first.events.find((e) => e.type === 'tool_result')).toMatchObject({ok: true, output: expect.stringContaining('a - b')})
    expect(first.events.at(-1)).toMatchObject({type: 'final', text: 'add subtracts: a bug.'})
    const session = first.events[0]!
    expect(session.id).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/)

    const second = await streamChat(server, {message: 'really?', agent_mode: true, use_rag: false, session_id: session.id})
    expect(second.events[0]).toMatchObject({type: 'session', id: session.id, turn: 2})
    expect(ollama.chats()[2]!.messages.map((m) => m.content)).toEqual(expect.arrayContaining(['what does add do?', 'add subtracts: a bug.', 'really?']))

    const listed = JSON.parse((await api('/api/sessions')).body)
    expect(listed.sessions).toContainEqual(expect.objectContaining({id: session.id, turns: 2, title: 'what does add do?'}))
    const saved = JSON.parse((await api(`/api/sessions/${String(session.id)}`)).body)
    expect(saved.messages.at(-1)).toEqual({role: 'assistant', content: 'Yes, really.'})
  })

  it('asks on the stream before a write, and an approval applies it', async () => {
    fix()
    const {events} = await streamChat(server, {message: 'fix add', agent_mode: true, use_rag: false}, async (event) => {
      if (event.type === 'confirm') expect((await answer(event.id, {approved: true})).status).toBe(200)
    })

    const confirm = events.find((e) => e.type === 'confirm')!
    expect(confirm.request).toMatchObject({
      kind: 'write',
      tool: 'edit_file',
      rel: 'math.js',
      diff: expect.stringContaining('-export const add = (a, b) => a - b\n+export const add = (a, b) => a + b'),
    })
    expect(types(events)).toEqual(['session', 'start', 'tool_call', 'confirm', 'tool_result', 'text', 'final'])
    expect(events.find((e) => e.type === 'tool_result')).toMatchObject({ok: true})
    expect(await readFile(path.join(project.root, 'math.js'), 'utf8')).toBe(FIXED)
    expect((await answer(confirm.id, {approved: true})).status).toBe(404) // answered already
  })

  it('a denial leaves the file alone and sends the reason to the model', async () => {
    fix()
    const {events} = await streamChat(server, {message: 'fix add', agent_mode: true, use_rag: false}, async (event) => {
      if (event.type === 'confirm') await answer(event.id, {approved: false, reason: 'not today'})
    })

    expect(events.find((e) => e.type === 'tool_result')).toMatchObject({ok: false})
    expect(await readFile(path.join(project.root, 'math.js'), 'utf8')).toBe(BROKEN)
    const toolMessage = ollama.chats()[1]!.messages.find((m) => m.role === 'tool')!
    expect(toolMessage.content).toContain('the user declined writing math.js: not today')
  })

  it('agent_mode off is a plain chat: no tools are sent', async () => {
    ollama.script([{content: 'Hello.'}])
    const {events} = await streamChat(server, {message: 'hi', agent_mode: false, use_rag: false})
    expect(events.at(-1)).toMatchObject({type: 'final', text: 'Hello.'})
    expect(ollama.chats()[0]!.tools).toBeUndefined()
  })

  it("lists Ollama's models, and refuses bad bodies and unknown confirmations", async () => {
    const models = JSON.parse((await api('/api/models')).body)
    expect(models.current).toBe('qwen2.5-coder:7b')
    expect(models.models.map((m: {name: string}) => m.name)).toEqual(['qwen2.5-coder:7b', 'nomic-embed-text:latest'])

    const bad = await streamChat(server, {message: '', agent_mode: true})
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.text).error).toContain('message')
    expect((await answer('no-such-id', {approved: true})).status).toBe(404)
  })
})

describe('faithh serve: who may connect', () => {
  const chatBody = JSON.stringify({message: 'delete everything', agent_mode: true})
  const cases: {name: string; path: string; method?: string; headers: (s: ServeProcess) => Record<string, string>; status: number}[] = [
    {name: 'no token', path: '/api/sessions', headers: () => ({}), status: 401},
    {name: 'a wrong token', path: '/api/sessions', headers: () => ({'x-faithh-token': 'guess'}), status: 401},
    {name: 'the token as a query string instead of the header, for the API', path: '/api/sessions?token=', headers: () => ({}), status: 401},
    {name: 'a DNS-rebinding Host', path: '/api/sessions', headers: (s) => ({'x-faithh-token': s.token, host: `evil.example:${s.port}`}), status: 403},
    {
      name: 'the right name on another port',
      path: '/api/sessions',
      headers: (s) => ({'x-faithh-token': s.token, host: `127.0.0.1:${s.port + 1}`}),
      status: 403,
    },
    {name: 'a foreign Origin on a read', path: '/api/sessions', headers: (s) => ({'x-faithh-token': s.token, origin: 'http://evil.example'}), status: 403},
    {
      name: 'a cross-site POST with the token',
      path: '/api/agent/chat',
      method: 'POST',
      headers: (s) => ({'x-faithh-token': s.token, origin: 'http://evil.example', 'content-type': 'application/json'}),
      status: 403,
    },
    {
      name: 'a POST from another local port',
      path: '/api/agent/chat',
      method: 'POST',
      headers: (s) => ({'x-faithh-token': s.token, origin: `http://127.0.0.1:${s.port + 1}`, 'content-type': 'application/json'}),
      status: 403,
    },
    {
      name: 'a POST without Origin',
      path: '/api/agent/chat',
      method: 'POST',
      headers: (s) => ({'x-faithh-token': s.token, 'content-type': 'application/json'}),
      status: 403,
    },
    {
      name: 'a POST from the page without the token',
      path: '/api/agent/chat',
      method: 'POST',
      headers: (s) => ({origin: s.origin, 'content-type': 'application/json'}),
      status: 401,
    },
    {name: 'the page without the token', path: '/', headers: () => ({}), status: 401},
    {name: 'the page with a wrong token', path: '/?token=guess', headers: () => ({}), status: 401},
    {name: 'a script file without the token cookie', path: '/app.js', headers: () => ({}), status: 401},
  ]

  it.each(cases)('refuses $name ($status), and the model is never asked', async ({path: pathname, method = 'GET', headers, status}) => {
    const token = pathname.endsWith('token=') ? server.token : ''
    const response = await rawRequest(`${server.origin}${pathname}${token}`, {method, headers: headers(server), body: method === 'POST' ? chatBody : undefined})
    expect(response.status).toBe(status)
    expect(response.headers['access-control-allow-origin']).toBeUndefined()
    expect(ollama.chats()).toHaveLength(0)
  })

  it('serves the page with the token, then its files with the cookie it set', async () => {
    const page = await rawRequest(server.pageUrl)
    expect(page.status).toBe(200)
    expect(page.body).toContain('<script type="module" src="app.js">')
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    const cookie = String(page.headers['set-cookie']).split(';')[0]!
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/)
    const script = await rawRequest(`${server.origin}/app.js`, {headers: {cookie}})
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toMatch(/javascript/)
    expect((await rawRequest(`${server.origin}/../package.json`, {headers: {cookie}})).status).toBe(404)
  })

  it('will not listen beyond loopback without --allow-remote, and warns with it', async () => {
    const refused = await runCli(['serve', '--host', '0.0.0.0', '--port', '0'], {cwd: project.root, host: ollama.url})
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toContain('refusing to listen on 0.0.0.0')
    expect(refused.stderr).toContain('--allow-remote')

    const child = execa('node', [CLI_BIN, 'serve', '--host', '0.0.0.0', '--port', '0', '--allow-remote'], {
      cwd: project.root,
      env: {OLLAMA_HOST: ollama.url, NO_COLOR: '1'},
      reject: false,
      stdin: 'ignore',
    })
    let stderr = ''
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    for (let i = 0; i < 200 && !stderr.includes('Ctrl-C stops'); i++) await new Promise((resolve) => setTimeout(resolve, 50))
    child.kill('SIGTERM')
    await child
    expect(stderr).toMatch(/warning: listening on 0\.0\.0\.0, beyond this machine/)
  })
})
