import {mkdir, mkdtemp, readdir, realpath, rm, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterEach} from 'vitest'
import {approveAll, type Confirmer} from '../../src/core/access/confirm.js'
import {testAccess} from './access.js'
import type {SandboxConfig} from '../../src/core/sandbox/config.js'
import {defaultToolLimits, type ToolContext, type ToolLimits} from '../../src/core/tools/tool.js'

export interface Sandbox {
  /** Parent of the project: holds `project/` (the root) and `outside/` (must never change). */
  base: string
  root: string
  outside: string
  ctx: ToolContext
  write(rel: string, content: string | Uint8Array): Promise<string>
  /** Sorted listing of `outside/`, recursively, to prove nothing escaped. */
  outsideListing(): Promise<string[]>
}

const sandboxes: string[] = []

afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((dir) => rm(dir, {recursive: true, force: true})))
})

export async function sandbox(
  files: Record<string, string | Uint8Array> = {},
  limits: Partial<ToolLimits> = {},
  signal: AbortSignal = new AbortController().signal,
  confirmer: Confirmer = approveAll,
  commands: Partial<SandboxConfig> = {},
): Promise<Sandbox> {
  const base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'faithh-tools-')))
  sandboxes.push(base)
  const root = path.join(base, 'project')
  const outside = path.join(base, 'outside')
  await mkdir(root)
  await mkdir(outside)
  await writeFile(path.join(outside, 'secret.txt'), 'top secret\n')

  const write = async (rel: string, content: string | Uint8Array): Promise<string> => {
    const abs = path.join(root, rel)
    await mkdir(path.dirname(abs), {recursive: true})
    await writeFile(abs, content)
    return abs
  }
  for (const [rel, content] of Object.entries(files)) await write(rel, content)

  return {
    base,
    root,
    outside,
    // Tools under test go through the real policy with every "ask" approved, as with --yes.
    ctx: {root, signal, limits: {...defaultToolLimits, ...limits}, access: testAccess(root, confirmer, commands)},
    write,
    outsideListing: async () => (await readdir(outside, {recursive: true})).map(String).sort(),
  }
}

export function lines(count: number, make: (n: number) => string = (n) => `line ${n}`): string {
  return Array.from({length: count}, (_, i) => make(i + 1)).join('\n') + '\n'
}
