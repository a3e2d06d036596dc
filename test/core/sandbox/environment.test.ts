import {describe, expect, it} from 'vitest'

import {sandboxEnvironment} from '../../../src/core/sandbox/environment.js'

describe('sandboxEnvironment', () => {
  it.each([
    ['AWS_SECRET_ACCESS_KEY', 'abc'],
    ['AWS_SESSION_TOKEN', 'abc'],
    ['GITHUB_TOKEN', 'ghp_x'],
    ['NPM_TOKEN', 'x'],
    ['npm_config__authToken', 'x'],
    ['OPENAI_API_KEY', 'sk-x'],
    ['DB_PASSWORD', 'x'],
    ['SSH_AUTH_SOCK', '/run/user/1000/ssh-agent'],
    ['DBUS_SESSION_BUS_ADDRESS', 'unix:path=/run/user/1000/bus'],
    ['DOCKER_HOST', 'unix:///var/run/docker.sock'],
    ['DATABASE_URL', 'postgres://app:hunter2@db/app'],
  ])('drops %s', (name, value) => {
    expect(sandboxEnvironment({[name]: value, PATH: '/usr/bin'})).toEqual({PATH: '/usr/bin', TMPDIR: '/tmp'})
  })

  it.each([['PATH'], ['HOME'], ['LANG'], ['NODE_ENV'], ['GOPATH'], ['KEYTIMEOUT'], ['TERM']])('keeps %s', (name) => {
    expect(sandboxEnvironment({[name]: 'v'})[name]).toBe('v')
  })

  it('keeps a URL without a password, and what a grant passes through', () => {
    expect(sandboxEnvironment({API_URL: 'https://example.com/x', NPM_TOKEN: 't'}, {passThrough: ['NPM_TOKEN']})).toMatchObject({
      API_URL: 'https://example.com/x',
      NPM_TOKEN: 't',
    })
  })
})
