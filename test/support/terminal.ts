import {execa} from 'execa'
import {fileURLToPath} from 'node:url'

import {CLI_BIN, EMPTY_CONFIG_HOME, requireBuild} from './cli.js'

const DRIVER = fileURLToPath(new URL('pty-drive.py', import.meta.url))

/** [text to wait for, keys to send]: the driver answers each prompt as it appears, like a person. */
export type TerminalStep = [waitFor: string, keys: string]

export const KEYS = {down: '\u001B[B', ctrlC: '\u0003', ctrlD: '\u0004', clearLine: '\u0015'} as const

/** Runs the built `faithh` in a real pseudo-terminal (so it sees a TTY), answering prompts in order. */
export async function runInTerminal(
  args: string[],
  steps: TerminalStep[],
  {cwd, host, timeoutMs = 40_000}: {cwd: string; host?: string; timeoutMs?: number},
): Promise<{exitCode: number; output: string}> {
  requireBuild()
  const result = await execa('python3', [DRIVER, JSON.stringify(steps), '--', 'node', CLI_BIN, ...args], {
    cwd,
    env: {OLLAMA_HOST: host, NO_COLOR: '1', CI: undefined, XDG_CONFIG_HOME: EMPTY_CONFIG_HOME},
    extendEnv: true,
    reject: false,
    timeout: timeoutMs,
  })
  return {exitCode: result.exitCode ?? -1, output: result.stdout.replaceAll('\r', '')}
}
