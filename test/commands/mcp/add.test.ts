import {mkdir, mkdtemp, readFile, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'

import {cliFixture} from '../../support/cli-fixture.js'

const {project, run} = await cliFixture({fresh: true})
let home: string | undefined
afterEach(async () => {
  if (home) await rm(home, {recursive: true, force: true})
  home = undefined
})

const projectConfig = async () => JSON.parse(await readFile(path.join(project.root, '.faithh/config.json'), 'utf8'))

async function userHome(): Promise<{env: Record<string, string>; file: string}> {
  home = await mkdtemp(path.join(tmpdir(), 'faithh-home-'))
  return {env: {HOME: home, XDG_CONFIG_HOME: ''}, file: path.join(home, '.config/faithh/config.json')}
}

describe('faithh mcp add / remove / list', () => {
  it('adds a stdio server (everything after --) to the project config, keeping the keys already there', async () => {
    await mkdir(path.join(project.root, '.faithh'))
    await writeFile(path.join(project.root, '.faithh/config.json'), JSON.stringify({model: 'mine:7b'}))
    const result = await run([
      'mcp/add',
      'fs',
      '--env',
      'TOKEN=${FS_TOKEN}',
      '--permission',
      'allow',
      '--',
      'npx',
      '-y',
      '@modelcontextprotocol/server-filesystem',
      '/tmp/x',
    ])
    expect(result.exitCode, result.stderr).toBe(0)
    expect(result.stderr).toContain(`added MCP server "fs" in ${path.join(project.root, '.faithh/config.json')}`)
    expect(await projectConfig()).toEqual({
      model: 'mine:7b',
      mcpServers: {fs: {command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp/x'], env: {TOKEN: '${FS_TOKEN}'}, permission: 'allow'}},
    })
  })

  it('adds a url server with headers', async () => {
    const result = await run(['mcp/add', 'docs', '--url', 'https://mcp.example.com/mcp', '--header', 'Authorization: Bearer ${T}', '--transport', 'http'])
    expect(result.exitCode, result.stderr).toBe(0)
    expect((await projectConfig()).mcpServers.docs).toEqual({url: 'https://mcp.example.com/mcp', type: 'http', headers: {Authorization: 'Bearer ${T}'}})
  })

  it('keeps an existing server of the same name unless --force', async () => {
    await run(['mcp/add', 's', '--', 'first'])
    const again = await run(['mcp/add', 's', '--', 'second'])
    expect(again.exitCode).toBe(2)
    expect(again.stderr).toContain('an MCP server named "s" is already in')
    expect((await projectConfig()).mcpServers.s.command).toBe('first')
    expect((await run(['mcp/add', 's', '--force', '--', 'second'])).exitCode).toBe(0)
    expect((await projectConfig()).mcpServers.s.command).toBe('second')
  })

  it.each([
    ['neither a command nor --url', ['s'], 'say how to reach "s"'],
    ['both a command and --url', ['s', '--url', 'http://h/mcp', '--', 'x'], 'give either --url or a command'],
    ['an --env without =', ['s', '--env', 'NOEQUALS', '--', 'x'], '"NOEQUALS" is not --env KEY=value'],
  ])('refuses %s (exit 2) and writes nothing', async (_name, args, message) => {
    const result = await run(['mcp/add', ...args])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain(message)
    await expect(readFile(path.join(project.root, '.faithh/config.json'))).rejects.toThrow()
  })

  it('--user writes the user config (XDG layout under HOME), and list shows where each server comes from', async () => {
    const {env, file} = await userHome()
    expect((await run(['mcp/add', 'mine', '--user', '--', 'my-server'], {env})).exitCode).toBe(0)
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({mcpServers: {mine: {command: 'my-server', args: []}}})
    await run(['mcp/add', 'local', '--', 'local-server', '--flag'], {env})

    const listed = await run(['mcp/list', '--json'], {env})
    expect(listed.exitCode, listed.stderr).toBe(0)
    const servers = JSON.parse(listed.stdout) as {name: string; source: string; command: string}[]
    expect(servers.map(({name, source, command}) => ({name, source, command}))).toEqual([
      {name: 'mine', source: 'user', command: 'my-server'},
      {name: 'local', source: 'project', command: 'local-server'},
    ])

    const text = await run(['mcp/list'], {env})
    expect(text.stdout).toContain('mine  stdio: my-server')
    expect(text.stdout).toContain('local  stdio: local-server --flag')
  })

  it('writes through a symlinked config file, keeping the link', async () => {
    const {env, file} = await userHome()
    const real = path.join(home!, 'dotfiles/faithh.json')
    await mkdir(path.dirname(real), {recursive: true})
    await mkdir(path.dirname(file), {recursive: true})
    await writeFile(real, '{}')
    await symlink(real, file)
    expect((await run(['mcp/add', 's', '--user', '--', 'x'], {env})).exitCode).toBe(0)
    expect(JSON.parse(await readFile(real, 'utf8')).mcpServers.s.command).toBe('x')
  })

  it('refuses to write a change that makes the file invalid, and leaves it as it was', async () => {
    await mkdir(path.join(project.root, '.faithh'))
    const broken = JSON.stringify({maxSteps: 'many'})
    await writeFile(path.join(project.root, '.faithh/config.json'), broken)
    const result = await run(['mcp/add', 's', '--', 'x'])
    expect(result.exitCode).toBe(2)
    expect(await readFile(path.join(project.root, '.faithh/config.json'), 'utf8')).toBe(broken)
  })

  it('list names the keys it ignores and the entries it cannot use, without starting anything', async () => {
    await mkdir(path.join(project.root, '.faithh'))
    await writeFile(
      path.join(project.root, '.faithh/config.json'),
      JSON.stringify({mcpServers: {cline: {command: 'x', autoApprove: ['a'], timeout: 60, env: {SECRET: 'hunter2'}}, odd: {type: 'pigeon', url: 'http://h'}}}),
    )
    const result = await run(['mcp/list'])
    expect(result.stdout).toContain('ignored keys: autoApprove, timeout')
    expect(result.stdout).toContain('odd  (not usable: "type": "pigeon" is not a transport faithh knows')
    const json = JSON.parse((await run(['mcp/list', '--json'])).stdout)
    expect(json[0]).toMatchObject({name: 'cline', envKeys: ['SECRET'], ignoredKeys: ['autoApprove', 'timeout']})
    // Environment values can be secrets: list shows their names only.
    expect(JSON.stringify(json)).not.toContain('hunter2')
  })

  it('removes a server, and says where to look when it is in the other file', async () => {
    await run(['mcp/add', 'a', '--', 'x'])
    await run(['mcp/add', 'b', '--', 'y'])
    const removed = await run(['mcp/remove', 'a'])
    expect(removed.exitCode, removed.stderr).toBe(0)
    expect(Object.keys((await projectConfig()).mcpServers)).toEqual(['b'])

    const missing = await run(['mcp/remove', 'a'])
    expect(missing.exitCode).toBe(2)
    expect(missing.stderr).toContain('no MCP server named "a"')
    expect(missing.stderr).toContain('your user config (add --user)')
  })
})
