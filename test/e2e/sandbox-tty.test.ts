import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {requireBuild} from '../support/cli.js'
import {makeProject, type Fixture} from '../support/fixture.js'
import {startLoopbackListener, type LoopbackListener} from '../support/hostile-project.js'
import {KEYS, runInTerminal} from '../support/terminal.js'
import {needsSandbox} from '../support/requirements.js'

/** A grant at the prompt: the person sees how the command would run, and widens its network there, for that command only. */

let project: Fixture
let listener: LoopbackListener

beforeAll(async () => {
  requireBuild()
  listener = await startLoopbackListener()
})
afterAll(() => listener?.close())
beforeEach(async () => {
  project = await makeProject({})
})
afterEach(() => project.cleanup())

/** The terminal output without the prompt's cursor movements. */
const plain = (output: string) => output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')

// `node -e` asks: inline code. It reports whether it reached the listener on this machine's loopback.
const probe = () =>
  `node -e "require('net').connect(${listener.port}, '127.0.0.1').on('connect', () => { console.log('reached'); process.exit(0) }).on('error', (e) => { console.log('unreachable', e.code); process.exit(3) })"`

describe('confirming a command at a terminal', () => {
  const sandboxWorks = needsSandbox('confirming a sandboxed command at a terminal')
  it.skipIf(!sandboxWorks)('shows that it runs sandboxed without network; "Yes" keeps it that way', async () => {
    const result = await runInTerminal(['run', probe()], [['Run it?', '\r']], {cwd: project.root})
    expect(result.output).toMatch(/sandboxed: writes only in the project and a private \/tmp, home folder hidden, no network/)
    expect(plain(result.output)).toMatch(/^unreachable ECONNREFUSED$/m)
    expect(result.exitCode).toBe(3)
  })

  it.skipIf(!sandboxWorks)('grants full network when the person picks it, for that command', async () => {
    const before = listener.connections
    const result = await runInTerminal(['run', probe(), '--json'], [['Run it?', `${KEYS.down.repeat(4)}\r`]], {cwd: project.root})
    expect(result.output).toContain('Yes, with full network access')
    expect(plain(result.output)).toMatch(/^reached$/m)
    expect(result.exitCode, result.output).toBe(0)
    expect(result.output).toMatch(/"sandbox":\{[^}]*"network":"full"/)
    expect(listener.connections).toBe(before + 1)
  })

  it('"No" is still the third answer', async () => {
    const before = listener.connections
    const result = await runInTerminal(
      ['run', probe()],
      [
        ['Run it?', `${KEYS.down.repeat(2)}\r`],
        ['Why not?', '\r'],
      ],
      {cwd: project.root},
    )
    expect(result.exitCode).toBe(6)
    expect(plain(result.output)).not.toMatch(/^reached$/m)
    expect(listener.connections).toBe(before)
  })
})
