import {describe, expect, it} from 'vitest'

import {formatIssues} from '../../../src/core/config/load.js'
import {configSchema} from '../../../src/core/config/schema.js'
import {expandVariables, resolveMcpServers, type McpServerSpec} from '../../../src/core/mcp/server-config.js'

const ROOT = '/work/project'
const ENV = {HOME: '/home/me', GITHUB_TOKEN: 'ghp_secret', EMPTY: ''}

/** The mcpServers block as loadConfig would hand it over: validated, defaults filled in. */
function resolve(mcpServers: unknown, env: NodeJS.ProcessEnv = ENV): McpServerSpec[] {
  const config = configSchema.parse({mcpServers})
  return resolveMcpServers(config.mcpServers, {root: ROOT, env})
}

function one(entry: unknown, env?: NodeJS.ProcessEnv): McpServerSpec {
  return resolve({s: entry}, env)[0]!
}

describe('mcpServers entries in the shapes other agents use', () => {
  it.each([
    [
      'a stdio server (Claude Desktop / Cursor shape)',
      {command: 'npx', args: ['-y', 'pkg'], env: {KEY: 'v'}},
      {transport: 'stdio', command: 'npx', args: ['-y', 'pkg'], env: {KEY: 'v'}, cwd: ROOT},
    ],
    ['a stdio server with no args', {command: 'my-server'}, {transport: 'stdio', command: 'my-server', args: [], env: {}, cwd: ROOT}],
    ['"type": "stdio" (Claude Code .mcp.json)', {type: 'stdio', command: 'x'}, {transport: 'stdio', command: 'x'}],
    ['a relative cwd, from the project root', {command: 'x', cwd: 'tools'}, {cwd: `${ROOT}/tools`}],
    ['an absolute cwd', {command: 'x', cwd: '/opt/srv'}, {cwd: '/opt/srv'}],
    ['env values that are numbers or booleans (written unquoted)', {command: 'x', env: {PORT: 8080, DEBUG: true}}, {env: {PORT: '8080', DEBUG: 'true'}}],
    [
      'a url server: streamable HTTP',
      {url: 'https://mcp.example.com/mcp', headers: {Authorization: 'Bearer x'}},
      {transport: 'http', url: 'https://mcp.example.com/mcp', headers: {Authorization: 'Bearer x'}},
    ],
    ['"type": "http"', {type: 'http', url: 'http://127.0.0.1:3000/mcp'}, {transport: 'http'}],
    ['"type": "streamable-http"', {type: 'streamable-http', url: 'http://h/mcp'}, {transport: 'http'}],
    ['"type": "streamableHttp" (camel case)', {type: 'streamableHttp', url: 'http://h/mcp'}, {transport: 'http'}],
    ['"type": "sse"', {type: 'sse', url: 'http://h/sse'}, {transport: 'sse'}],
  ])('%s', (_name, entry, launch) => {
    const spec = one(entry)
    expect(spec.state).toBe('ready')
    expect(spec.state === 'ready' && spec.launch).toMatchObject(launch)
  })

  it.each([
    ['"disabled": true (Cline, Claude Code)', {command: 'x', disabled: true}],
    ['"enabled": false (Codex)', {command: 'x', enabled: false}],
  ])('%s switches a server off', (_name, entry) => {
    expect(one(entry).state).toBe('disabled')
  })

  it.each([
    ['neither command nor url', {args: ['x']}, 'has neither "command"'],
    ['both command and url', {command: 'x', url: 'http://h'}, 'has both "command" and "url"'],
    ['a transport faithh does not know', {type: 'websocket', url: 'ws://h'}, '"type": "websocket" is not a transport faithh knows'],
    ['"type": "stdio" without a command', {type: 'stdio', args: ['x']}, '"type": "stdio" needs a "command"'],
    ['"type": "http" without a url', {type: 'http', headers: {}}, '"type": "http" needs a "url"'],
    ['a url that is not http(s)', {url: 'ws://h/mcp'}, 'must start with http:// or https://'],
    ['an unset variable without a default', {command: 'x', env: {TOKEN: '${NOT_SET}'}}, 'uses ${NOT_SET}, which is not set'],
  ])('an entry with %s is not started, and says why', (_name, entry, problem) => {
    const spec = one(entry)
    expect(spec.state).toBe('invalid')
    expect(spec.state === 'invalid' && spec.problem).toContain(problem)
  })

  it('one unusable entry leaves the others usable', () => {
    const specs = resolve({good: {command: 'x'}, bad: {}, off: {command: 'y', disabled: true}})
    expect(specs.map((spec) => [spec.name, spec.state])).toEqual([
      ['good', 'ready'],
      ['bad', 'invalid'],
      ['off', 'disabled'],
    ])
  })

  it('ignores keys other agents add, and names them', () => {
    const spec = one({command: 'x', autoApprove: ['read'], timeout: 30, description: 'mine', alwaysAllow: []})
    expect(spec.state).toBe('ready')
    expect(spec.ignoredKeys.sort()).toEqual(['alwaysAllow', 'autoApprove', 'description', 'timeout'])
  })

  it('gives every server the safe defaults: ask, no trust in hints, 15 s to start, 60 s a call', () => {
    expect(one({command: 'x'}).settings).toEqual({permission: 'ask', tools: {}, trustReadOnlyHints: false, startTimeoutMs: 15_000, callTimeoutMs: 60_000})
  })

  it("reads faithh's own keys: permission, per-tool permissions, trust, timeouts", () => {
    const spec = one({
      command: 'x',
      permission: 'allow',
      tools: {write_file: 'deny'},
      trustReadOnlyHints: true,
      startTimeoutSeconds: 2,
      callTimeoutSeconds: 0.5,
    })
    expect(spec.settings).toEqual({permission: 'allow', tools: {write_file: 'deny'}, trustReadOnlyHints: true, startTimeoutMs: 2000, callTimeoutMs: 500})
  })

  it.each([
    ['no "sandbox": in the sandbox, with nothing more', undefined, {enabled: true, read: [], write: [], env: []}],
    ['"sandbox": true: the same', true, {enabled: true, read: [], write: [], env: []}],
    ['"sandbox": false: unsandboxed, on purpose', false, {enabled: false}],
    [
      'grants: network, paths, environment',
      {network: 'full', read: ['~/data'], write: ['~/.npm'], env: ['NPM_TOKEN']},
      {enabled: true, network: 'full', read: ['~/data'], write: ['~/.npm'], env: ['NPM_TOKEN']},
    ],
  ])('reads %s', (_name, sandbox, expected) => {
    const spec = one({command: 'x', ...(sandbox === undefined ? {} : {sandbox})})
    expect(spec.state === 'ready' && spec.launch.transport === 'stdio' && spec.launch.sandbox).toEqual(expected)
  })

  it.each([
    ['a permission that is not ask/allow/deny', {command: 'x', permission: 'yes'}, 'mcpServers.s.permission'],
    ['args that are not a list', {command: 'x', args: '-y pkg'}, 'mcpServers.s.args'],
    ['a per-tool permission that is not ask/allow/deny', {command: 'x', tools: {t: 'maybe'}}, 'mcpServers.s.tools.t'],
    ['a negative timeout', {command: 'x', callTimeoutSeconds: -1}, 'mcpServers.s.callTimeoutSeconds'],
  ])('rejects %s as a config error naming the key', (_name, entry, key) => {
    const result = configSchema.safeParse({mcpServers: {s: entry}})
    expect(result.success).toBe(false)
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(key)
  })
})

describe('a server\'s "sandbox" that is not valid', () => {
  it.each([
    ['a network that does not exist', {network: 'some'}, 'key "mcpServers.s.sandbox.network": Invalid option: expected one of "none"|"loopback"|"full"'],
    ['a key faithh does not know (a misspelt grant must not pass silently)', {writes: ['~/.npm']}, 'unknown key "mcpServers.s.sandbox.writes"'],
    ['paths that are not a list', {read: '~/data'}, 'key "mcpServers.s.sandbox.read": expected array'],
    ['"off" (the commands\' shorthand, not a server\'s)', 'off', 'key "mcpServers.s.sandbox"'],
  ])('is a config error naming the key: %s', (_name, sandbox, message) => {
    const result = configSchema.safeParse({mcpServers: {s: {command: 'x', sandbox}}})
    expect(result.success).toBe(false)
    expect(formatIssues(result.error!)).toContain(message)
  })
})

describe('${VAR} in server entries', () => {
  it.each([
    ['a set variable', 'Bearer ${GITHUB_TOKEN}', 'Bearer ghp_secret'],
    ['a default for an unset one', '${NOPE:-fallback}', 'fallback'],
    ['a default for an empty one', '${EMPTY:-fallback}', 'fallback'],
    ['an empty default', 'a${NOPE:-}b', 'ab'],
    ['several', '${HOME}/x/${GITHUB_TOKEN}', '/home/me/x/ghp_secret'],
    ['text without variables', 'plain $HOME text', 'plain $HOME text'],
  ])('expands %s', (_name, text, expected) => {
    expect(expandVariables(text, ENV)).toBe(expected)
  })

  it('expands command, args, env, cwd, url and headers', () => {
    const stdio = one({command: '${HOME}/bin/srv', args: ['--token=${GITHUB_TOKEN}'], env: {T: '${GITHUB_TOKEN}'}, cwd: '${HOME}/w'})
    expect(stdio.state === 'ready' && stdio.launch).toEqual({
      transport: 'stdio',
      command: '/home/me/bin/srv',
      args: ['--token=ghp_secret'],
      env: {T: 'ghp_secret'},
      cwd: '/home/me/w',
      sandbox: {enabled: true, read: [], write: [], env: []},
    })
    const http = one({url: 'https://h/${GITHUB_TOKEN}', headers: {Authorization: 'Bearer ${GITHUB_TOKEN}'}})
    expect(http.state === 'ready' && http.launch).toEqual({transport: 'http', url: 'https://h/ghp_secret', headers: {Authorization: 'Bearer ghp_secret'}})
  })
})
