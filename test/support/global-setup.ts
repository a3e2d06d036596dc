import {execFileSync} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import type {TestProject} from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    buildError: string
  }
}

/**
 * End-to-end tests run the built CLI, so build once before any test file runs. A failed build fails
 * the end-to-end tests (see requireBuild) but leaves unit tests runnable.
 */
export default function setup(project: TestProject): void {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  try {
    execFileSync('npm', ['run', '--silent', 'build'], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
    project.provide('buildError', '')
  } catch (error) {
    const stderr = (error as {stderr?: Buffer}).stderr?.toString() ?? ''
    const stdout = (error as {stdout?: Buffer}).stdout?.toString() ?? ''
    project.provide('buildError', `npm run build failed:\n${stdout}${stderr}`)
  }
}
