import {describe, expect, it} from 'vitest'

import {configSchema} from '../../../src/core/config/schema.js'
import {
  DEFAULT_ALLOWED_COMMANDS,
  DEFAULT_DENIED_COMMANDS,
  DEFAULT_FORBIDDEN,
  DEFAULT_READ_ONLY,
  permissionsConfigSchema,
} from '../../../src/core/permissions/index.js'

describe('permissions config', () => {
  it('fills every key with its default from nothing', () => {
    expect(permissionsConfigSchema.parse(undefined)).toEqual({
      writeRoots: ['.'],
      forbidden: DEFAULT_FORBIDDEN,
      readOnly: DEFAULT_READ_ONLY,
      writes: 'ask',
      commands: {allow: DEFAULT_ALLOWED_COMMANDS, deny: DEFAULT_DENIED_COMMANDS},
    })
  })

  it('is part of the whole configuration, defaulted', () => {
    expect(configSchema.parse({}).permissions.writes).toBe('ask')
    expect(configSchema.parse({permissions: {commands: {allow: ['ls']}}}).permissions.commands).toEqual({
      allow: ['ls'],
      deny: DEFAULT_DENIED_COMMANDS,
    })
  })

  it.each([
    ['a misspelt key', {writeRoot: ['.']}],
    ['a misspelt nested key', {commands: {allowed: ['ls']}}],
    ['an unknown writes mode', {writes: 'always'}],
    ['an empty glob', {forbidden: ['']}],
    ['no write roots at all', {writeRoots: []}],
  ])('rejects %s', (_name, input) => {
    expect(permissionsConfigSchema.safeParse(input).success).toBe(false)
  })

  it.each([
    ['.env', DEFAULT_FORBIDDEN],
    ['*.pem', DEFAULT_FORBIDDEN],
    ['.ssh', DEFAULT_FORBIDDEN],
    ['.git', DEFAULT_READ_ONLY],
    ['git status', DEFAULT_ALLOWED_COMMANDS],
    ['npm test', DEFAULT_ALLOWED_COMMANDS],
    ['sudo', DEFAULT_DENIED_COMMANDS],
    ['git push', DEFAULT_DENIED_COMMANDS],
  ])('defaults include %s', (entry, list) => {
    expect(list).toContain(entry)
  })
})
