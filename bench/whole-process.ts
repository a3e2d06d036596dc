/**
 * Runs a command as a whole process, the way a shell or a Makefile runs it, and reads what the
 * operating system accounts for it: wall time from outside, and peak resident memory from wait4's
 * rusage through GNU time (`/usr/bin/time -f %M`), which a process cannot misreport about itself.
 */
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

export interface ProcessSpec {
  command: string
  args: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  /** A run whose exit code or output is not what is expected measures nothing: stop the bench. */
  check?: (run: FinishedRun) => string | undefined
}

export interface FinishedRun {
  exitCode: number | null
  stdout: string
  stderr: string
  wallMs: number
}

const GNU_TIME = '/usr/bin/time'

/** Async, so that servers living in the bench process (the fake Ollama) keep answering the child. */
export function runProcess(spec: ProcessSpec, prefix: string[] = []): Promise<FinishedRun> {
  const [command, ...args] = [...prefix, spec.command, ...spec.args]
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command!, args, {cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    let wallMs = 0
    child.stdout.on('data', (chunk) => (stdout += chunk))
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('exit', () => (wallMs = performance.now() - started))
    child.on('close', (exitCode) => {
      const run = {exitCode, stdout, stderr, wallMs}
      const problem = spec.check?.(run) ?? (exitCode === 0 ? undefined : `exit code ${exitCode}`)
      if (problem) reject(new Error(`${[spec.command, ...spec.args].join(' ')}: ${problem}\n${stderr.slice(-2000)}`))
      else resolve(run)
    })
  })
}

/** Wall time of one run, unwrapped: nothing but the command itself is started. */
export async function wallMs(spec: ProcessSpec): Promise<number> {
  return (await runProcess(spec)).wallMs
}

export const canMeasureRss = existsSync(GNU_TIME)

/** One run with its peak resident set size in MiB (the largest of the process and the children it waited for). */
export async function withPeakRss(spec: ProcessSpec): Promise<FinishedRun & {rssMiB: number}> {
  const dir = await mkdtemp(path.join(tmpdir(), 'faithh-bench-rss-'))
  try {
    const out = path.join(dir, 'rss')
    const run = await runProcess(spec, [GNU_TIME, '-f', '%M', '-o', out])
    const kib = Number((await readFile(out, 'utf8')).trim().split('\n').at(-1))
    if (!Number.isFinite(kib)) throw new Error(`${GNU_TIME} gave no peak RSS`)
    return {...run, rssMiB: kib / 1024}
  } finally {
    await rm(dir, {recursive: true, force: true})
  }
}

export const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
