import {describe, expect, it} from 'vitest'

import {sandboxConfigSchema} from '../../../src/core/sandbox/config.js'
import {compileGrants} from '../../../src/core/sandbox/grants.js'

const rules = compileGrants(
  sandboxConfigSchema.parse({
    grants: [
      {commands: ['npm install', 'npm ci'], network: 'full', write: ['~/.npm'], env: ['NPM_TOKEN']},
      {commands: ['npm test'], network: 'loopback'},
    ],
  }),
)

describe('sandbox grants', () => {
  it.each([
    ['npm install', [['npm', 'install']], 'full'],
    ['npm install with arguments', [['npm', 'install', '--save-dev', 'x']], 'full'],
    [
      'behind a cd',
      [
        ['cd', 'web'],
        ['npm', 'ci'],
      ],
      'full',
    ],
    ['npm test', [['npm', 'test']], 'loopback'],
    ['a command no grant names', [['make']], 'none'],
    [
      'a granted command with an ungranted one',
      [
        ['npm', 'install'],
        ['curl', 'example.com'],
      ],
      'none',
    ],
    [
      'two commands of different grants',
      [
        ['npm', 'install'],
        ['npm', 'test'],
      ],
      'none',
    ],
    ['nothing but neutral commands', [['cd', 'x']], 'none'],
  ])('%s', (_, commands, network) => {
    expect(rules.grantFor(commands).network).toBe(network)
  })

  it('carries the paths and environment of the grant, and says where they came from', () => {
    expect(rules.grantFor([['npm', 'install']])).toMatchObject({write: ['~/.npm'], env: ['NPM_TOKEN'], sources: ['sandbox.grants (npm install, npm ci)']})
  })

  it('starts from the configured defaults', () => {
    const widened = compileGrants(sandboxConfigSchema.parse({network: 'loopback', read: ['~/data']}))
    expect(widened.grantFor([['ls']])).toMatchObject({network: 'loopback', read: ['~/data']})
  })
})
