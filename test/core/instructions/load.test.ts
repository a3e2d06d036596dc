import {mkdir, mkdtemp, rm, symlink, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {approveAll, refuseAll, type Confirmer, type ConfirmRequest} from '../../../src/core/access/confirm.js'
import {loadProjectInstructions} from '../../../src/core/instructions/load.js'
import {testAccess} from '../../support/access.js'
import {makeProject, type Fixture} from '../../support/fixture.js'

const NAMES = ['FAITHH.md', 'AGENTS.md']
let project: Fixture
let outside: string

beforeAll(async () => {
  project = await makeProject({
    'AGENTS.md': '# Root\nUse pnpm. Run `pnpm test`.\n',
    'src/api/AGENTS.md': 'Handlers return Result, never throw.\n',
    'src/api/v2/handler.ts': 'export {}\n',
    // FAITHH.md wins over AGENTS.md in its folder.
    'web/FAITHH.md': 'faithh: keep components small.\n',
    'web/AGENTS.md': 'generic agents: long text for big models.\n',
    // Unusable FAITHH.md files: the folder's AGENTS.md is used instead.
    'bin/AGENTS.md': 'bin: scripts are POSIX sh.\n',
    'latin/AGENTS.md': 'fallback for latin\n',
    'big/AGENTS.md': `${'- a rule that goes on and on\n'.repeat(400_000)}`,
  })
  await writeFile(path.join(project.root, 'bin/FAITHH.md'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]))
  await writeFile(path.join(project.root, 'latin/FAITHH.md'), Buffer.from('Caf\xe9 cr\xe8me: r\xe8gles\n', 'latin1'))
  await mkdir(path.join(project.root, 'dir/AGENTS.md'), {recursive: true})
  outside = await mkdtemp(path.join(tmpdir(), 'faithh-outside-'))
  await writeFile(path.join(outside, 'shared-rules.md'), 'SECRET-ISH rules from outside the project\n')
  await mkdir(path.join(project.root, 'linked'))
  await symlink(path.join(outside, 'shared-rules.md'), path.join(project.root, 'linked/AGENTS.md'))
  await mkdir(path.join(project.root, 'inlinked'))
  await symlink('../src/api/AGENTS.md', path.join(project.root, 'inlinked/AGENTS.md'))
})
afterAll(async () => {
  await project?.cleanup()
  if (outside) await rm(outside, {recursive: true, force: true})
})

const load = (
  folders: string[],
  {confirmer = refuseAll, maxTokens = 1000, fileNames = NAMES}: {confirmer?: Confirmer; maxTokens?: number; fileNames?: string[]} = {},
) => loadProjectInstructions(testAccess(project.root, confirmer), {folders, fileNames, maxTokens})

function recording(answer: boolean): Confirmer & {requests: ConfirmRequest[]} {
  const requests: ConfirmRequest[] = []
  return {interactive: true, requests, confirm: async (request) => (requests.push(request), answer ? {approved: true, remember: false} : {approved: false})}
}

describe('loadProjectInstructions', () => {
  it('reads the root file and every nested one down to the folders involved, root first', async () => {
    const {text, report} = await load(['src/api/v2'])
    expect(report.files.map((f) => f.path)).toEqual(['AGENTS.md', 'src/api/AGENTS.md'])
    expect(text).toContain('--- AGENTS.md\n# Root\nUse pnpm. Run `pnpm test`.\n--- src/api/AGENTS.md\nHandlers return Result, never throw.')
    expect(report).toMatchObject({truncated: false, skipped: [], omitted: []})
  })

  it('reads only the root file for a run about the root', async () => {
    const {report} = await load([''])
    expect(report.files.map((f) => f.path)).toEqual(['AGENTS.md'])
  })

  it('uses FAITHH.md instead of AGENTS.md in the same folder', async () => {
    const {text, report} = await load(['web'])
    expect(report.files.map((f) => f.path)).toEqual(['AGENTS.md', 'web/FAITHH.md'])
    expect(text).toContain('faithh: keep components small.')
    expect(text).not.toContain('generic agents')
  })

  it.each([
    ['a binary file', 'bin', 'bin/FAITHH.md', 'it is a binary file', 'bin: scripts are POSIX sh.'],
    ['a file that is not UTF-8', 'latin', 'latin/FAITHH.md', 'it is not UTF-8 text', 'fallback for latin'],
  ])('skips %s with a warning, and falls back to the next name', async (_name, folder, skippedPath, reason, fallback) => {
    const {text, report} = await load([folder])
    expect(report.skipped).toEqual([{path: skippedPath, reason}])
    expect(text).toContain(fallback)
    expect(text).not.toMatch(/Caf|PNG/)
  })

  it('skips a folder called AGENTS.md', async () => {
    const {report} = await load(['dir'])
    expect(report.skipped).toEqual([{path: 'dir/AGENTS.md', reason: 'it is not a regular file'}])
  })

  it('reads only the head of an oversized file and cuts it to the budget', async () => {
    const {text, report} = await load(['big'], {maxTokens: 500})
    expect(text.length).toBeLessThanOrEqual(500 * 3.5)
    expect(text).toContain('[… big/AGENTS.md is longer: read the file for the rest]')
    expect(report.truncated).toBe(true)
    expect(report.files.find((f) => f.path === 'big/AGENTS.md')).toMatchObject({truncated: true})
  })

  it('does not follow a symlink out of the project without permission: no terminal, no read', async () => {
    const {text, report} = await load(['linked'])
    expect(text).not.toContain('SECRET-ISH')
    expect(report.skipped).toHaveLength(1)
    expect(report.skipped[0]!.path).toBe('linked/AGENTS.md')
    expect(report.skipped[0]!.reason).toMatch(/outside the project/)
  })

  it('asks before following a symlink out of the project, and reads it only when approved', async () => {
    const no = recording(false)
    expect((await load(['linked'], {confirmer: no})).text).not.toContain('SECRET-ISH')
    expect(no.requests).toEqual([expect.objectContaining({kind: 'read', tool: 'instructions', path: 'linked/AGENTS.md'})])

    const yes = recording(true)
    expect((await load(['linked'], {confirmer: yes})).text).toContain('SECRET-ISH rules from outside the project')
    expect((await load(['linked'], {confirmer: approveAll})).report.skipped).toEqual([])
  })

  it('follows a symlink inside the project without asking', async () => {
    const asked = recording(false)
    const {text} = await load(['inlinked'], {confirmer: asked})
    expect(text).toContain('--- inlinked/AGENTS.md\nHandlers return Result')
    expect(asked.requests).toEqual([])
  })

  it('looks for the configured names only', async () => {
    const {report} = await load(['web'], {fileNames: ['AGENTS.md']})
    expect(report.files.map((f) => f.path)).toEqual(['AGENTS.md', 'web/AGENTS.md'])
  })

  it('reads and asks nothing when the budget is 0', async () => {
    const asked = recording(true)
    const {text, report} = await load(['linked', 'src/api'], {confirmer: asked, maxTokens: 0})
    expect(text).toBe('')
    expect(report.files).toEqual([])
    expect(asked.requests).toEqual([])
  })
})
