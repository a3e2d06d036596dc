import {z} from 'zod'

/**
 * Defaults of `permissions`. Setting a list in the config replaces its default (it does not add to
 * it), so these are exported for docs and for users who want to extend rather than replace them.
 *
 * Globs are picomatch, matched case-insensitively against the root-relative path. A pattern with no
 * "/" matches a file or folder of that name at any depth, and everything inside a matching folder;
 * a pattern with a "/" is anchored at the project root. A leading "!" lifts an earlier pattern.
 */
export const DEFAULT_FORBIDDEN = [
  '.env',
  '.env.*',
  // Committed templates hold placeholders, and models need them to explain a project's setup.
  '!.env.example',
  '!.env.sample',
  '!.env.template',
  '*.key',
  '*.pem',
  '*.p12',
  '*.pfx',
  '*_api_key*',
  'id_rsa*',
  'id_dsa*',
  'id_ecdsa*',
  'id_ed25519*',
  // Often a registry auth token (`//registry.npmjs.org/:_authToken=…`): worth one config line to lift.
  '.npmrc',
  '.pypirc',
  '.netrc',
  // No "/": a .ssh, .gnupg or .aws folder anywhere, and everything in it (a "/**" glob would be root-only).
  '.ssh',
  '.gnupg',
  '.aws',
]

/** `.git` as a name: also nested repositories and submodules. faithh's own `.faithh` is always read-only. */
export const DEFAULT_READ_ONLY = ['.git']

/**
 * Word prefixes of commands that run without asking: reading, searching and running the tests.
 * Running the project's own code (`node x.js`, `npm test`) is allowed because every change to that
 * code went through a confirmed write first.
 */
export const DEFAULT_ALLOWED_COMMANDS = [
  'ls',
  'cat',
  'head',
  'tail',
  'wc',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'find',
  'pwd',
  'echo',
  'printf',
  'true',
  'false',
  'sort',
  'uniq',
  'cut',
  'tr',
  'diff',
  'cmp',
  'stat',
  'file',
  'du',
  'tree',
  'nl',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'which',
  'date',
  'whoami',
  'uname',
  'sha256sum',
  'md5sum',
  'git status',
  'git diff',
  'git log',
  'git show',
  'git branch',
  'git rev-parse',
  'git ls-files',
  'git blame',
  'npm test',
  'npm run test',
  'npm run lint',
  'npm run typecheck',
  'npx vitest',
  'npx jest',
  'npx tsc --noEmit',
  'yarn test',
  'pnpm test',
  'node',
  'python',
  'python3',
  'pytest',
  'go test',
  'go vet',
  'cargo test',
  'cargo check',
  'make test',
]

/**
 * Never run, whatever the user would answer: privilege changes, whole-disk and machine-state
 * commands, and publishing to other people. `git reset --hard`, `git clean` and `rm` are not here:
 * they only touch the project, so they ask (with targets outside the write roots they are denied).
 */
export const DEFAULT_DENIED_COMMANDS = [
  'sudo',
  'su',
  'doas',
  'pkexec',
  'mkfs',
  'mkfs.*',
  'fdisk',
  'sfdisk',
  'parted',
  'wipefs',
  'dd',
  'shutdown',
  'reboot',
  'halt',
  'poweroff',
  'chown',
  'git push',
  'npm publish',
  'pnpm publish',
  'yarn publish',
  'cargo publish',
  'twine upload',
]

const globList = z.array(z.string().min(1))

export const permissionsConfigSchema = z
  .strictObject({
    writeRoots: z
      .array(z.string().min(1))
      .min(1)
      .default(['.'])
      .describe('Folders tools may write in (project-relative or absolute); writes anywhere else are denied'),
    forbidden: globList
      .default(DEFAULT_FORBIDDEN)
      .describe('Globs tools may neither read nor write, nor name in a command (secrets); hidden from listings and searches'),
    readOnly: globList.default(DEFAULT_READ_ONLY).describe('Globs tools may read but never write'),
    writes: z
      .enum(['ask', 'allow'])
      .default('ask')
      .describe('`ask`: each write inside the write roots is confirmed with its diff; `allow`: approved without asking'),
    commands: z
      .strictObject({
        allow: z
          .array(z.string().min(1))
          .default(DEFAULT_ALLOWED_COMMANDS)
          .describe('Word prefixes that run without asking: `"git status"` matches `git status -s`, not `git stash`'),
        deny: z.array(z.string().min(1)).default(DEFAULT_DENIED_COMMANDS).describe('Word prefixes that never run; deny wins over allow'),
      })
      .prefault({})
      .describe('Which command lines run without asking, and which never run; everything else asks'),
  })
  .prefault({})
  .describe('What tools may read, write and run; setting a list replaces its default')

export type PermissionsConfig = z.infer<typeof permissionsConfigSchema>
export type PermissionsConfigInput = z.input<typeof permissionsConfigSchema>
