import {mkdir, mkdtemp, realpath, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'

/** A throwaway project; `await using project = await makeProject({...})` removes it at the end of the block. */
export interface Fixture extends AsyncDisposable {
  root: string
  cleanup(): Promise<void>
}

/** A throwaway project: files given as {relative path: content}; marked as a project by .git/. */
export async function makeProject(files: Record<string, string>): Promise<Fixture> {
  const root = await realpath(await mkdtemp(path.join(tmpdir(), 'faithh-test-')))
  await mkdir(path.join(root, '.git'))
  for (const [file, content] of Object.entries(files)) {
    const full = path.join(root, file)
    await mkdir(path.dirname(full), {recursive: true})
    await writeFile(full, content)
  }

  const cleanup = () => rm(root, {recursive: true, force: true})
  return {root, cleanup, [Symbol.asyncDispose]: cleanup}
}
