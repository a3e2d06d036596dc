// @ts-check
/**
 * git for the faithh agent. Plain ESM JavaScript, so the plugin needs no build step; the types come
 * from faithh through JSDoc.
 *
 * Every git command goes through ctx.access.runCommand: the permission policy judges the exact line
 * (git status/diff/log are allowed by default; git add and git commit ask, with the line shown), and
 * faithh runs that same line with /bin/bash in its sandbox (no network, writes only in the project,
 * git hooks and config read-only), in its own process group, within the command time limit.
 */

/** Output past this is cut by faithh anyway; stop reading long before. */
const MAX_OUTPUT_BYTES = 4 * 1024 * 1024

/** @type {import('faithh').ToolFactory} */
export default function gitTools({z, defineTool, ok, fail}) {
  /**
   * @param {import('faithh').ToolContext} ctx
   * @param {string} tool
   * @param {string} line
   */
  async function git(ctx, tool, line) {
    const ran = await ctx.access.runCommand(line, {
      tool,
      signal: ctx.signal,
      timeoutMs: ctx.limits.commandTimeoutMs,
      maxOutputBytes: MAX_OUTPUT_BYTES,
      env: {GIT_PAGER: 'cat', PAGER: 'cat', GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', NO_COLOR: '1'},
    })
    if (!ran.ok) return fail(`${tool}: not run — ${ran.reason}`)
    const {status, exitCode, output} = ran.run
    if (status === 'exited' && exitCode === 0) return ok(output.trimEnd())
    const how = status === 'timed_out' ? 'timed out' : status === 'cancelled' ? 'was cancelled' : `exited with ${exitCode}`
    return fail(`${tool}: \`${line}\` ${how}\n${output.trimEnd()}`)
  }

  const gitStatus = defineTool({
    name: 'git_status',
    description: 'Show the branch and changed files (git status --short).',
    schema: z.object({}),
    readOnly: true,
    async execute(_args, ctx) {
      const result = await git(ctx, 'git_status', 'git status --short --branch')
      return result.ok && !result.output.includes('\n') ? ok(`${result.output}\n(working tree clean)`) : result
    },
  })

  const gitDiff = defineTool({
    name: 'git_diff',
    description: 'Show uncommitted changes as a diff; staged: the staged ones; path: one file or folder.',
    schema: z.object({staged: z.boolean().optional(), path: z.string().optional()}),
    readOnly: true,
    async execute(args, ctx) {
      const line = `git diff --no-ext-diff --no-color${args.staged ? ' --staged' : ''}${pathspec(args.path)}`
      const result = await git(ctx, 'git_diff', line)
      return result.ok && result.output === '' ? ok(args.staged ? '(nothing staged)' : '(no unstaged changes)') : result
    },
  })

  const gitLog = defineTool({
    name: 'git_log',
    description: 'Recent commits, newest first: hash, date, author, subject.',
    schema: z.object({count: z.number().int().min(1).max(100).optional(), path: z.string().optional()}),
    readOnly: true,
    async execute(args, ctx) {
      const line = `git log --no-color -n ${args.count ?? 10} --date=short --format='%h %ad %an: %s'${pathspec(args.path)}`
      return git(ctx, 'git_log', line)
    },
  })

  const gitCommit = defineTool({
    name: 'git_commit',
    description: 'Commit. paths: stage these first; all: stage every change; neither: commit what is staged.',
    schema: z.object({message: z.string().min(1), paths: z.array(z.string().min(1)).optional(), all: z.boolean().optional()}),
    readOnly: false,
    async execute(args, ctx) {
      const stage = args.all ? 'git add -A && ' : args.paths?.length ? `git add${pathspec(...args.paths)} && ` : ''
      return git(ctx, 'git_commit', `${stage}git commit -m ${quote(args.message)}`)
    },
  })

  return [gitStatus, gitDiff, gitLog, gitCommit]
}

/** ` -- 'a' 'b'`: after `--`, a path can never be read as an option. */
function pathspec(/** @type {(string | undefined)[]} */ ...paths) {
  const given = paths.filter((p) => p !== undefined && p !== '')
  return given.length === 0 ? '' : ` -- ${given.map((p) => quote(/** @type {string} */ (p))).join(' ')}`
}

/** Single-quoted for bash: nothing inside is expanded, so a message like "$(rm -rf ~)" stays text. */
export function quote(/** @type {string} */ text) {
  return `'${text.replaceAll("'", `'\\''`)}'`
}
