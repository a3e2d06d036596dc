import {describe, expect, it} from 'vitest'

import {isReadOnlyLine} from '../../../src/core/permissions/read-only.js'

const env = {home: '/home/dev', cwd: '/home/dev/project'}

/**
 * Where no sandbox works, only read-only lines run without asking: a line that could write, run code
 * or reach the network must never pass for read-only.
 */
describe('isReadOnlyLine', () => {
  it.each([
    ['a listing', 'ls -la src'],
    ['a search in a pipeline', 'grep -rn TODO src | sort | uniq -c | head -20'],
    ['reading through a redirect', 'wc -l < package.json'],
    ['errors thrown away', 'cat missing.txt 2>/dev/null || echo none'],
    ['fd duplication', 'ls nope 2>&1 | tail -1'],
    ['git that only shows', 'git status --short && git diff --stat && git log --oneline -5'],
    ['git branch listing', 'git branch -a'],
    ['find that only prints', "find . -name '*.ts' -newer package.json"],
    ['a cd first', 'cd src && ls'],
  ])('%s: %s', async (_, line) => {
    expect(await isReadOnlyLine(line, env)).toBe(true)
  })

  it.each([
    ['a write redirect', 'echo hi > notes.txt'],
    ['an append', 'date >> log.txt'],
    ['tee', 'ls | tee listing.txt'],
    ['the tests', 'npm test'],
    ['an interpreter', 'node build.js'],
    ['a shell running a string', "bash -c 'ls'"],
    ['a wrapper', 'env ls'],
    ['xargs', 'ls | xargs rm'],
    ['find -exec', 'find . -exec rm {} +'],
    ['find -delete', 'find . -name x -delete'],
    ['sort -o', 'sort -o out.txt in.txt'],
    ['sort -o in a cluster', 'sort -no out.txt in.txt'],
    ['uniq with an output file', 'uniq in.txt out.txt'],
    ['date -s', 'date -s 2020-01-01'],
    ['git diff --output', 'git diff --output=patch.diff'],
    ['git with a global option', 'git -c core.pager=evil log'],
    ['git branch creating a branch', 'git branch feature'],
    ['git commit', 'git commit -m x'],
    ['rg --pre runs a program', 'rg --pre ./evil pattern'],
    // What the command table knows of each program counts here too (RISKY_OPTIONS, OUTPUT_OPTIONS).
    ['printf -v: an array index is evaluated as code', "printf -v 'x[$(touch /tmp/p)]' 1"],
    ['printf -v in a cluster', "printf -zv 'x[0]' 1"],
    ['sort --compress-program', 'sort --compress-program=./evil in.txt'],
    ['sort --output=', 'sort --output=out.txt in.txt'],
    ['tree -o', 'tree -o listing.txt'],
    ['git show --ext-diff', 'git show --ext-diff HEAD'],
    ['a command substitution', 'echo $(curl example.com)'],
    ['a variable assignment', 'GIT_EXTERNAL_DIFF=./x git diff'],
    ['a command only known at run time', '$CMD file'],
    ['an unknown program', 'frobnicate --dry-run'],
    ['a write to a device', 'echo x > /dev/sda'],
    ['a parse error', 'ls ('],
  ])('not %s: %s', async (_, line) => {
    expect(await isReadOnlyLine(line, env)).toBe(false)
  })
})
