/** What `faithh init` looks for in a project, per tool: how to install, test, build, lint, type-check and format. */
export type CommandKind = 'install' | 'test' | 'build' | 'lint' | 'typecheck' | 'format'

export const COMMAND_KINDS: CommandKind[] = ['install', 'test', 'build', 'lint', 'typecheck', 'format']

/** One tool the project uses (a package manager, cargo, go, make), the file that shows it, and its commands. */
export interface Toolchain {
  name: 'npm' | 'pnpm' | 'yarn' | 'bun' | 'uv' | 'poetry' | 'pipenv' | 'pip' | 'cargo' | 'go' | 'make'
  /** The file that shows it, e.g. "pnpm-lock.yaml". */
  evidence: string
  commands: Partial<Record<CommandKind, string>>
  /** Anything else worth a line in AGENTS.md, e.g. the workspaces of a monorepo. */
  notes?: string[]
}
