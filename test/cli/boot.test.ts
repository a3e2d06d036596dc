import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {cacheKey, codeCacheDir} from '../../src/cli/boot.js'

describe('cacheKey', () => {
  const bundleDir = mkdtempSync(path.join(tmpdir(), 'faithh-boot-'))
  mkdirSync(path.join(bundleDir, 'commands', 'mcp'), {recursive: true})
  writeFileSync(path.join(bundleDir, 'commands', 'mcp', 'list.cjs'), '')

  it('is the command, so that each command keeps the code it runs', () => {
    expect(cacheKey(['ask', 'what is this?'], bundleDir)).toBe('ask')
    expect(cacheKey(['index', 'src'], bundleDir)).toBe('index')
    expect(cacheKey(['search', 'retry', '-n', '5'], bundleDir)).toBe('search')
  })

  it('is both words for a command in a topic', () => {
    expect(cacheKey(['mcp', 'list'], bundleDir)).toBe('mcp-list')
    expect(cacheKey(['mcp', 'nothing'], bundleDir)).toBe('mcp')
  })

  it('is root for help and flags, and never a path', () => {
    expect(cacheKey([], bundleDir)).toBe('root')
    expect(cacheKey(['--help'], bundleDir)).toBe('root')
    expect(cacheKey(['../../etc'], bundleDir)).toBe('root')
    expect(cacheKey(['Ask'], bundleDir)).toBe('root')
  })
})

describe('codeCacheDir', () => {
  it('is code-cache/ in faithh’s cache folder, and can be turned off', () => {
    expect(codeCacheDir({HOME: '/home/u'}, 'linux')).toBe('/home/u/.cache/faithh/code-cache')
    expect(codeCacheDir({HOME: '/home/u', XDG_CACHE_HOME: '/x'}, 'linux')).toBe('/x/faithh/code-cache')
    expect(codeCacheDir({HOME: '/Users/u'}, 'darwin')).toBe('/Users/u/Library/Caches/faithh/code-cache')
    expect(codeCacheDir({FAITHH_CACHE_DIR: '/c'}, 'linux')).toBe('/c/code-cache')
    expect(codeCacheDir({FAITHH_CODE_CACHE: 'off'}, 'linux')).toBeUndefined()
    expect(codeCacheDir({FAITHH_CODE_CACHE: '0'}, 'linux')).toBeUndefined()
  })
})
