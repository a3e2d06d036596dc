import {detectMake} from './makefile.js'
import {detectNode} from './node.js'
import {detectPython} from './python.js'
import {exists} from './read-text.js'
import {surveyFiles, type FileSurvey} from './survey.js'
import {COMMAND_KINDS, type CommandKind, type Toolchain} from './toolchain.js'

/** What `faithh init` found in a project: the material of the starter AGENTS.md and config. */
export interface ProjectFacts extends FileSurvey {
  /** make first (a Makefile is usually the project's own front door), then the language tools. */
  toolchains: Toolchain[]
  /** For each kind, the commands found, the preferred one first. */
  commands: Partial<Record<CommandKind, string[]>>
}

/** Looks at the project's manifests, lockfiles, Makefile and files; reads nothing outside `root` and changes nothing. */
export async function detectProject(root: string, signal?: AbortSignal): Promise<ProjectFacts> {
  const found = await Promise.all([detectMake(root), detectNode(root), detectPython(root), detectCargo(root), detectGo(root)])
  const toolchains = found.filter((toolchain): toolchain is Toolchain => toolchain !== undefined)
  const commands: ProjectFacts['commands'] = {}
  for (const kind of COMMAND_KINDS) {
    const list = [...new Set(toolchains.map((toolchain) => toolchain.commands[kind]).filter((command): command is string => Boolean(command)))]
    if (list.length > 0) commands[kind] = list
  }

  return {toolchains, commands, ...(await surveyFiles(root, signal))}
}

async function detectCargo(root: string): Promise<Toolchain | undefined> {
  if (!(await exists(root, 'Cargo.toml'))) return undefined
  return {
    name: 'cargo',
    evidence: 'Cargo.toml',
    commands: {install: 'cargo fetch', test: 'cargo test', build: 'cargo build', lint: 'cargo clippy', format: 'cargo fmt'},
  }
}

async function detectGo(root: string): Promise<Toolchain | undefined> {
  if (!(await exists(root, 'go.mod'))) return undefined
  return {
    name: 'go',
    evidence: 'go.mod',
    commands: {install: 'go mod download', test: 'go test ./...', build: 'go build ./...', lint: 'go vet ./...', format: 'gofmt -w .'},
  }
}
