import {describe, expect, it} from 'vitest'

import {runProcess, type ProcessRunOptions} from '../../../src/core/sandbox/process-run.js'

const options = (overrides: Partial<ProcessRunOptions> = {}): ProcessRunOptions => ({
  cwd: '/tmp',
  env: {PATH: process.env.PATH ?? '/usr/bin:/bin'},
  signal: new AbortController().signal,
  timeoutMs: 10_000,
  maxOutputBytes: 1024 * 1024,
  ownsPidNamespace: false,
  ...overrides,
})

describe('runProcess', () => {
  it('passes output on as it comes and keeps it interleaved', async () => {
    const chunks: string[] = []
    const run = await runProcess(['/bin/bash', '-c', 'echo out; echo err >&2; exit 3'], options({onOutput: (chunk) => chunks.push(chunk)}))
    expect(run).toMatchObject({status: 'exited', exitCode: 3, output: 'out\nerr\n'})
    expect(chunks.join('')).toBe('out\nerr\n')
  })

  it('stops a command whose output passes the limit', async () => {
    const run = await runProcess(['/bin/bash', '-c', 'yes faithh'], options({maxOutputBytes: 64 * 1024}))
    expect(run.status).toBe('output_limit')
    expect(run.outputBytes).toBeGreaterThan(64 * 1024)
  })

  it('keeps the head and the tail of very long output, and says how much is missing', async () => {
    const run = await runProcess(['/bin/bash', '-c', 'seq 1 2000000'], options({maxOutputBytes: 64 * 1024 * 1024}))
    expect(run.status).toBe('exited')
    expect(run.output.startsWith('1\n2\n3\n')).toBe(true)
    expect(run.output.endsWith('1999999\n2000000\n')).toBe(true)
    expect(run.output).toMatch(/\[… \d+ characters of output not kept …\]/)
    expect(run.output.length).toBeLessThan(6 * 1024 * 1024)
  })

  it.each([
    ['a timeout', {timeoutMs: 300}, 'timed_out', 124],
    ['a cancel', {signal: AbortSignal.timeout(300)}, 'cancelled', 130],
  ] as const)("ends the process group at %s, with the shell's exit code for it", async (_, overrides, status, exitCode) => {
    const started = Date.now()
    const run = await runProcess(['/bin/bash', '-c', 'sleep 30 & sleep 30'], options(overrides))
    expect(run).toMatchObject({status, exitCode})
    expect(Date.now() - started).toBeLessThan(5000)
  })

  it('says when a program cannot start', async () => {
    expect(await runProcess(['/nonexistent/program'], options())).toMatchObject({
      status: 'failed_to_start',
      exitCode: 127,
      error: expect.stringContaining('ENOENT'),
    })
  })
})
