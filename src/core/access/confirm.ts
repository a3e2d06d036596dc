/**
 * What faithh asks the user before it acts. Front ends implement Confirmer: the terminal with
 * inquirer prompts, --yes by approving, a pipe by refusing (it cannot ask).
 */
export type ConfirmRequest =
  | {kind: 'write'; tool: string; rel: string; diff: string; created: boolean}
  | {kind: 'command'; tool: string; command: string; cwd: string; reason: string}
  | {kind: 'read'; tool: string; path: string; reason: string}
  /** A call to an MCP server's tool (offered to the model as `tool`), with the arguments it would get. */
  | {kind: 'tool'; tool: string; server: string; arguments: Record<string, unknown>; reason: string}

export type ConfirmAnswer =
  /** `remember`: yes for the rest of this run (this tool's writes or calls, or this exact command). */
  | {approved: true; remember: boolean}
  | {approved: false; reason?: string}

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
      return `running \`${request.command}\` needs confirmation (${request.reason}) and there is no terminal to ask on — rerun with --yes, or add it to "permissions.commands.allow" in .faithh/config.json`
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
