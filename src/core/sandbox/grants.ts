import {compileCommandRules, matchCommandRule, type CommandRule} from '../permissions/rules.js'
import type {NetworkAccess, SandboxConfig} from './config.js'

/** What one command line gets from the sandbox beyond the project and a private /tmp. */
export interface CommandGrant {
  network: NetworkAccess
  read: string[]
  write: string[]
  env: string[]
  /** Where anything beyond the defaults came from, for prompts and reports: `sandbox.grants ("npm install")`, `--network`. */
  sources: string[]
}

const RANK: Record<NetworkAccess, number> = {none: 0, loopback: 1, full: 2}

function widerNetwork(a: NetworkAccess, b: NetworkAccess): NetworkAccess {
  return RANK[a] >= RANK[b] ? a : b
}

/** The grant with at least this network, and where that came from (a flag, the prompt). */
export function withNetwork(grant: CommandGrant, network: NetworkAccess | undefined, source: string): CommandGrant {
  if (!network || widerNetwork(grant.network, network) === grant.network) return grant
  return {...grant, network, sources: [...grant.sources, source]}
}

/** Commands that change nothing a grant could be about: `cd sub && npm install` still gets npm install's grant. */
const NEUTRAL = new Set(['cd', 'pushd', 'popd', 'true', 'false', 'echo', 'printf', 'pwd', 'export', 'set', 'unset', 'test', '['])

export interface GrantRules {
  grantFor(commands: string[][]): CommandGrant
}

/**
 * A configured grant applies to a line only when every command in it is one the grant names (or a
 * neutral one like `cd`): `npm install && curl … | sh` does not get npm install's network.
 */
export function compileGrants(config: SandboxConfig): GrantRules {
  const grants = config.grants.map((grant) => ({grant, rules: compileCommandRules(grant.commands)}))
  return {
    grantFor(commands) {
      const result: CommandGrant = {network: config.network, read: [...config.read], write: [...config.write], env: [...config.env], sources: []}
      const judged = commands.filter((argv) => argv.length > 0 && !NEUTRAL.has(argv[0]!))
      if (judged.length === 0) return result
      for (const {grant, rules} of grants) {
        if (!judged.every((argv) => matches(rules, argv))) continue
        if (grant.network) result.network = widerNetwork(result.network, grant.network)
        result.read.push(...(grant.read ?? []))
        result.write.push(...(grant.write ?? []))
        result.env.push(...(grant.env ?? []))
        result.sources.push(`sandbox.grants (${grant.commands.join(', ')})`)
      }

      return result
    },
  }
}

function matches(rules: CommandRule[], argv: string[]): boolean {
  return matchCommandRule(rules, argv) !== undefined
}

/** One line for prompts and reports: what the command may reach. */
export function describeGrant(grant: CommandGrant): string {
  const network = {none: 'no network', loopback: "network: this machine's loopback services only", full: 'full network access'}[grant.network]
  const extra = [
    ...(grant.write.length > 0 ? [`writes also in ${grant.write.join(', ')}`] : []),
    ...(grant.read.length > 0 ? [`reads also ${grant.read.join(', ')}`] : []),
    ...(grant.env.length > 0 ? [`environment ${grant.env.join(', ')}`] : []),
  ]
  return [`sandboxed: writes only in the project and a private /tmp, home folder hidden, ${network}`, ...extra].join('; ')
}
