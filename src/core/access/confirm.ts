import type {NetworkAccess} from '../sandbox/config.js'

/**
 * What faithh asks the user before it acts. Front ends implement Confirmer: the terminal with
 * inquirer prompts, --yes by approving, a pipe by refusing (it cannot ask).
 */
export type ConfirmRequest =
  | {kind: 'write'; tool: string; rel: string; diff: string; created: boolean}
  | {kind: 'command'; tool: string; command: string; cwd: string; reason: string; sandbox?: CommandSandbox}
  | {kind: 'read'; tool: string; path: string; reason: string}
  /** A call to an MCP server's tool (offered to the model as `tool`), with the arguments it would get. */
  | {kind: 'tool'; tool: string; server: string; arguments: Record<string, unknown>; reason: string}

/** How a command about to be confirmed would run: shown in the prompt, which may offer to widen the network. */
export interface CommandSandbox {
  sandboxed: boolean
  network: NetworkAccess
  /** One line: what the command can and cannot reach. */
  summary: string
}

export type ConfirmAnswer =
  /**
   * `remember`: yes for the rest of this run (this tool's writes or calls, or this exact command).
   * `network`: for a sandboxed command, the network the user granted it in the prompt.
   */
  {approved: true; remember: boolean; network?: NetworkAccess} | {approved: false; reason?: string}

export interface Confirmer {
  /** True when it can really ask someone; a non-interactive confirmer refuses every ask. */
  readonly interactive: boolean
  confirm(request: ConfirmRequest): Promise<ConfirmAnswer>
}

/** --yes: every "ask" is approved ("deny" still wins: the policy never asks about those). */
export const approveAll: Confirmer = {
  interactive: false,
  confirm: async () => ({approved: true, remember: true}),
}

/** No terminal (pipes, Makefiles, CI): nothing ever prompts or hangs; asks are refused with a hint. */
export const refuseAll: Confirmer = {
  interactive: false,
  confirm: async (request) => ({approved: false, reason: noTerminalHint(request)}),
}

export function noTerminalHint(request: ConfirmRequest): string {
  switch (request.kind) {
    case 'write':
      return `writing ${request.rel} needs confirmation and there is no terminal to ask on — rerun with --yes, or set "permissions": {"writes": "allow"} in .faithh/config.json`
    case 'command':
      return request.sandbox && !request.sandbox.sandboxed
        ? `running \`${request.command}\` needs confirmation (${request.reason}) and there is no terminal to ask on — rerun with --yes to run it anyway`
        : `running \`${request.command}\` needs confirmation (${request.reason}) and there is no terminal to ask on — rerun with --yes, or add it to "permissions.commands.allow" in .faithh/config.json`
    case 'read':
      return `reading ${request.path} needs confirmation (${request.reason}) and there is no terminal to ask on — rerun with --yes`
    case 'tool':
      return `calling ${request.tool} needs confirmation (${request.reason}) and there is no terminal to ask on — rerun with --yes, or set "permission": "allow" for "${request.server}" in "mcpServers"`
  }
}

/** Is there a person at a terminal? Prompts draw on stderr so stdout stays clean for pipes. */
export function hasTerminal(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY) && process.env.CI !== 'true'
}
