import {execa} from 'execa'

export interface ShellResult {
  exitCode: number
  /** stdout and stderr interleaved in arrival order. */
  output: string
  /** Set when the command did not exit by itself. */
  failure?: string
}

export type OutputSink = (chunk: string, stream: 'stdout' | 'stderr') => void

/**
 * Runs a user's command line in a shell, passing output through as it comes (for the user) while
 * keeping it (for the model). Used by `faithh run`, after the policy has been consulted.
 */
export async function runShell(command: string, {cwd, signal, onOutput}: {cwd: string; signal: AbortSignal; onOutput: OutputSink}): Promise<ShellResult> {
  const chunks: string[] = []
  // The policy judged the line as bash: run it with bash, not whatever /bin/sh is.
  const subprocess = execa(command, {shell: '/bin/bash', cwd, cancelSignal: signal, reject: false, stdin: 'ignore', buffer: false})
  for (const stream of ['stdout', 'stderr'] as const) {
    subprocess[stream]?.on('data', (data: Buffer) => {
      const text = data.toString('utf8')
      chunks.push(text)
      onOutput(text, stream)
    })
  }

  const result = await subprocess
  const failure = result.isCanceled ? 'cancelled' : result.signal ? `killed by ${result.signal}` : undefined
  return {exitCode: result.exitCode ?? (result.isCanceled ? 130 : 1), output: chunks.join(''), failure}
}
