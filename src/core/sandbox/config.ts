import {z} from 'zod'

/**
 * What a sandboxed command may reach beyond the project. `none`: a network namespace of its own (its
 * own loopback, so a test server still works, but nothing of this machine's or the world's);
 * `loopback`: also the services listening on this machine's loopback when it starts; `full`: the network.
 */
export const NETWORK_ACCESS = ['none', 'loopback', 'full'] as const
export type NetworkAccess = (typeof NETWORK_ACCESS)[number]

/** Host paths (absolute, or ~/…), and names of environment variables, as sandbox and MCP server entries list them. */
export const hostPaths = z.array(z.string().min(1))
export const envNames = z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name'))

/** More than the sandbox gives by default, for the commands it names: the config form of a visible grant. */
const sandboxGrantSchema = z.strictObject({
  // Word prefixes, as in permissions.commands.allow: "npm install" matches `npm install --save-dev x`.
  commands: z.array(z.string().min(1)).min(1),
  network: z.enum(NETWORK_ACCESS).optional(),
  // Host paths (absolute, or ~/…) re-exposed read-only, or writable.
  read: hostPaths.optional(),
  write: hostPaths.optional(),
  // Environment variables passed through although they look like secrets (NPM_TOKEN for a private registry).
  env: envNames.optional(),
})

export type SandboxGrantConfig = z.infer<typeof sandboxGrantSchema>

export const sandboxConfigSchema = z
  .strictObject({
    mode: z
      .enum(['auto', 'off'])
      .default('auto')
      .describe(
        'auto: sandbox every command where a sandbox works; where none does, commands that are not read-only ask first (and are refused ' +
          'without a terminal). off: no sandbox; those commands still ask, and --yes approves them',
      ),
    network: z
      .enum(NETWORK_ACCESS)
      .default('none')
      .describe('Network for every sandboxed command: none (a loopback of its own), loopback (also the services listening on this machine), full'),
    read: hostPaths.default([]).describe('Host paths (absolute, or ~/…) every sandboxed command may read, beyond the system and the project'),
    write: hostPaths.default([]).describe('Host paths (absolute, or ~/…) every sandboxed command may write, beyond the project and its private /tmp'),
    env: envNames
      .default([])
      .describe('Environment variables passed through to every command although they look like secrets (e.g. NPM_TOKEN for a private registry)'),
    // A fork bomb stops here; `make -j`, test runners and their threads stay far below.
    maxProcesses: z.number().int().min(16).max(65_536).default(512).describe('Most processes a sandboxed command may have at once'),
    grants: z
      .array(sandboxGrantSchema)
      .default([])
      .describe('More for the commands a grant names (word prefixes, as in permissions.commands.allow): {commands, network?, read?, write?, env?}'),
  })
  .prefault({})
  .describe('Where commands run and what they may reach (see README, Sandbox). `"sandbox": "off"` is short for {"mode": "off"}')

export type SandboxConfig = z.infer<typeof sandboxConfigSchema>

/** `"sandbox": "off"` in a config file is short for `"sandbox": {"mode": "off"}` (the loader expands it). */
export function expandSandboxShorthand(value: unknown): unknown {
  return typeof value === 'string' ? {mode: value} : value
}
