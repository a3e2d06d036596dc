import {readFile} from 'node:fs/promises'
import {describe, expect, it} from 'vitest'

import {ExitCode, exitCodeByError, exitCodeForError} from '../../src/cli/exit-codes.js'

/** The rows of README's "### Exit codes" table: code -> meaning. */
async function readmeExitCodes(): Promise<Map<number, string>> {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8')
  const section = readme.split(/^### Exit codes$/m)[1]?.split(/^#/m)[0] ?? ''
  const rows = [...section.matchAll(/^\| (\d+) \| (.+) \|$/gm)]
  return new Map(rows.map(([, code, meaning]) => [Number(code), meaning!]))
}

describe('exit codes', () => {
  it('README documents exactly the exit codes faithh uses, no more and no fewer', async () => {
    const documented = await readmeExitCodes()
    expect([...documented.keys()].sort((a, b) => a - b)).toEqual(Object.values(ExitCode).sort((a, b) => a - b))
  })

  it('every error code leads to a documented exit code', async () => {
    const documented = await readmeExitCodes()
    for (const [code, exit] of Object.entries(exitCodeByError)) expect(documented.has(exit), `${code} -> ${exit}`).toBe(true)
  })

  it.each([
    ['unreachable', ExitCode.unreachable],
    ['model_missing', ExitCode.modelMissing],
    ['max_steps', ExitCode.maxSteps],
    ['refused', ExitCode.refused],
    ['chroma_unreachable', ExitCode.chromaUnreachable],
    ['no_index', ExitCode.noIndex],
    ['aborted', ExitCode.cancelled],
    ['config', ExitCode.usage],
    ['session', ExitCode.usage],
    ['not_found', ExitCode.usage],
    ['ollama_error', ExitCode.failure],
    // Codes from outside the table (an older saved plan, a plugin) are plain failures, never 0.
    ['something_new', ExitCode.failure],
    ['toString', ExitCode.failure],
  ])('%s exits %i', (code, exit) => {
    expect(exitCodeForError(code)).toBe(exit)
  })
})
