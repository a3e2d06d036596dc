import {execa} from 'execa'

import {PlanError} from './plan-error.js'

/** faithh's own state; never counts as "uncommitted work" and is never committed by a plan. */
const OWN_STATE = ':(exclude).faithh'

/** Marks a plan's commits, so a resumed plan can tell its own commit from a missing one. */
export function planTrailer(planId: string, step: number): string {
  return `Faithh-Plan: ${planId} step ${step + 1}`
}

/**
 * The git operations `faithh plan` and its undo need, run in the project root and limited to it
 * (pathspec "."), so a project inside a larger repository only ever looks at and commits its own files.
 */
export class GitRepo {
  private constructor(readonly root: string) {}

  /** The repository the project is in, or undefined when it is not in one (or git is missing). */
  static async open(root: string): Promise<GitRepo | undefined> {
    const result = await execa('git', ['rev-parse', '--is-inside-work-tree'], {cwd: root, reject: false, stdin: 'ignore'}).catch(() => undefined)
    return result?.exitCode === 0 && result.stdout.trim() === 'true' ? new GitRepo(root) : undefined
  }

  /** Changed, staged and untracked paths in the project, outside .faithh/ and except `ignore` (root-relative). */
  async uncommitted(ignore: string[] = []): Promise<string[]> {
    const out = await this.git(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--', '.', OWN_STATE])
    const skip = new Set(ignore)
    const paths: string[] = []
    const records = out.split('\0')
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!
      if (record.length < 4) continue
      // A rename's record is followed by its source path.
      if (record[0] === 'R' || record[0] === 'C') i++
      paths.push(record.slice(3))
    }

    // --porcelain paths are relative to the repository top; make them relative to the project root.
    const prefix = await this.git(['rev-parse', '--show-prefix'])
    return paths.map((p) => (prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p)).filter((p) => !skip.has(p))
  }

  /**
   * Commits exactly `files` (root-relative, created, changed or deleted), whatever else is staged or
   * changed. Returns the new commit, or undefined when those files have nothing to commit.
   */
  async commitFiles(files: string[], message: string): Promise<string | undefined> {
    if (files.length === 0) return undefined
    await this.git(['add', '--all', '--', ...files])
    const staged = await execa('git', ['diff', '--cached', '--quiet', '--', ...files], {cwd: this.root, reject: false, stdin: 'ignore'})
    if (staged.exitCode === 0) return undefined
    // With paths, `git commit` records only those paths: other staged changes stay staged, uncommitted.
    await this.git(['commit', '--quiet', '--no-verify', '-m', message, '--', ...files])
    return this.head()
  }

  async head(): Promise<string> {
    return (await this.git(['rev-parse', 'HEAD'])).trim()
  }

  /** The HEAD commit when its message carries `trailer` (a plan step committed just before a crash). */
  async headWithTrailer(trailer: string): Promise<string | undefined> {
    const result = await execa('git', ['log', '-1', '--format=%H%n%B'], {cwd: this.root, reject: false, stdin: 'ignore'})
    if (result.exitCode !== 0) return undefined
    const [sha, ...body] = result.stdout.split('\n')
    return body.some((line) => line.trim() === trailer) ? sha : undefined
  }

  /** Whether `sha` is in the history of HEAD (it was not reset away). */
  async contains(sha: string): Promise<boolean> {
    const result = await execa('git', ['merge-base', '--is-ancestor', sha, 'HEAD'], {cwd: this.root, reject: false, stdin: 'ignore'})
    return result.exitCode === 0
  }

  private async git(args: string[]): Promise<string> {
    const result = await execa('git', args, {cwd: this.root, reject: false, stdin: 'ignore', stripFinalNewline: false})
    if (result.exitCode !== 0) {
      const detail = (result.stderr || result.stdout).trim().split('\n').slice(0, 4).join(' ')
      throw new PlanError('git', `\`git ${args.slice(0, 2).join(' ')}\` failed: ${detail}`)
    }

    return result.stdout
  }
}
