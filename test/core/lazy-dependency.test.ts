import {mkdtempSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'

import {FaithhError} from '../../src/core/errors.js'
import {importDependency} from '../../src/core/lazy-dependency.js'
import {loadChromaStore} from '../../src/core/rag/load-chroma-store.js'
import {RagError} from '../../src/core/rag/rag-error.js'

/** A module of its own that imports `name`: how faithh's lazily loaded modules import their package. */
function moduleImporting(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'faithh-lazy-'))
  const file = path.join(dir, 'uses-it.mjs')
  writeFileSync(file, `export * from '${name}'\n`)
  return pathToFileURL(file).href
}

describe('importDependency', () => {
  it('names a missing package, says what needed it and how to get it back (import)', async () => {
    const url = moduleImporting('faithh-test-no-such-package')
    const error = await importDependency('faithh-test-no-such-package', 'Checking shell commands', () => import(url)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(FaithhError)
    expect((error as FaithhError).code).toBe('failure')
    expect((error as FaithhError).message).toBe(
      'Checking shell commands needs the package faithh-test-no-such-package, which is not installed — reinstall faithh (`npm install -g faithh`, or `npm ci` in its folder)',
    )
    expect((error as FaithhError).cause).toMatchObject({code: 'ERR_MODULE_NOT_FOUND'})
  })

  it('names a missing package loaded with require, and a missing file of it', async () => {
    const require = createRequire(import.meta.url)
    await expect(importDependency('faithh-test-gone', 'Vector search', async () => require('faithh-test-gone'))).rejects.toThrow(
      'Vector search needs the package faithh-test-gone, which is not installed',
    )
    await expect(importDependency('tree-sitter-bash', 'Checking shell commands', async () => require.resolve('tree-sitter-bash/gone.wasm'))).rejects.toThrow(
      'Checking shell commands needs the package tree-sitter-bash, which is not installed',
    )
  })

  it('makes the error of the caller’s kind', async () => {
    const url = moduleImporting('faithh-test-no-such-package')
    const error = await importDependency(
      'faithh-test-no-such-package',
      'Vector search',
      () => import(url),
      (message, options) => new RagError('chroma_failed', message, options),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RagError)
    expect((error as RagError).code).toBe('chroma_failed')
  })

  it('leaves other failures as they are: a package present but broken, or one it imports missing', async () => {
    const broken = new Error('boom')
    await expect(importDependency('zod', 'Config', () => Promise.reject(broken))).rejects.toBe(broken)
    const url = moduleImporting('faithh-test-deeper-missing')
    await expect(importDependency('faithh-test-other', 'X', () => import(url))).rejects.toMatchObject({code: 'ERR_MODULE_NOT_FOUND'})
  })

  it('hands back the module when it is there', async () => {
    const {openVectorStore} = await loadChromaStore()
    expect(typeof openVectorStore).toBe('function')
  })
})
