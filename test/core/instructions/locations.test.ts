import {mkdir, symlink, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

import {instructionDirs, namedFolders} from '../../../src/core/instructions/locations.js'
import {makeProject} from '../../support/fixture.js'

describe('instructionDirs', () => {
  it.each([
    ['the root alone', [], ['']],
    ['the root for the root', ['', '.'], ['']],
    ['every folder on the way down', ['src/api/v2'], ['', 'src', 'src/api', 'src/api/v2']],
    ['shared ancestors once, shallow first, then by name', ['src/b', 'src/a', 'docs'], ['', 'docs', 'src', 'src/a', 'src/b']],
    ['trailing slashes and ./ are the same folder', ['./src/', 'src'], ['', 'src']],
    ['nothing above the root', ['../elsewhere', '..', '/etc'], ['']],
    ['a path that climbs back in counts where it lands', ['src/../lib'], ['', 'lib']],
  ])('%s', (_name, folders, expected) => {
    expect(instructionDirs(folders)).toEqual(expected)
  })
})

describe('namedFolders', () => {
  it('finds the folders of project paths a question or command line names, from the root or the current folder', async () => {
    await using project = await makeProject({
      'src/api/routes.ts': '',
      'tests/unit/test_a.py': '',
      'packages/web/index.ts': '',
      'README.md': '',
    })
    await mkdir(path.join(project.root, 'docs'))
    await writeFile(path.join(project.root, 'packages/web/local.ts'), '')
    await symlink('/etc/passwd', path.join(project.root, 'link.txt'))

    const text =
      'Why does "src/api/routes.ts:40" fail in `pytest tests/unit`? See README.md, docs/, local.ts and https://example.com/x.ts --out=x/y.ts ../../etc/hosts'
    expect((await namedFolders(text, project.root, 'packages/web')).sort()).toEqual(['', 'docs', 'packages/web', 'src/api', 'tests/unit'])
    // A symlink's own folder counts (where it leads is for the permission gate); a missing path does not.
    expect(await namedFolders('see link.txt and nothing/here.ts', project.root)).toEqual([''])
  })
})
