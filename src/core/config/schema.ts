import {z} from 'zod'

import {mcpServersSchema} from '../mcp/server-config.js'
import {permissionsConfigSchema} from '../permissions/config.js'
import {sandboxConfigSchema} from '../sandbox/config.js'

// A faithh process parses each object schema a handful of times (its configuration once, a tool's
// arguments per call): zod's JIT, a function generated and compiled per object schema on its first
// parse, costs more than it saves there (~2 ms of a cold start). Global to this copy of zod.
z.config({jitless: true})

export const DEFAULT_MODEL = 'qwen2.5-coder:7b'
export const DEFAULT_HOST = 'http://127.0.0.1:11434'
export const DEFAULT_EMBED_MODEL = 'nomic-embed-text'

/**
 * The whole configuration. Every key is optional in a file; defaults fill the rest.
 * Strict objects: a misspelt key is an error, not a silently ignored setting.
 * Each key's description is its documentation: in editors (schema/config.schema.json) and in the
 * README's tables, both generated from here by `npm run docs`.
 */
export const configSchema = z.strictObject({
  $schema: z.string().optional().describe('The JSON Schema of this file, for editors; faithh itself ignores it'),
  model: z.string().min(1).default(DEFAULT_MODEL).describe('Ollama model name'),
  host: z
    .string()
    .min(1)
    .default(DEFAULT_HOST)
    .describe('Ollama server; read the way Ollama reads OLLAMA_HOST (`0.0.0.0`, `:11500`, `host:port`, `https://…`)'),
  numCtx: z
    .number()
    .int()
    .min(2048)
    .max(1_048_576)
    .default(16_384)
    .describe(
      "Context window sent as `options.num_ctx`, capped by the model's context length from `/api/show`. 16k leaves room for files " +
        'and tool output on top of the ~1k-token opening prompt, and its KV cache fits beside a 7B model on an 8 GB GPU',
    ),
  maxSteps: z.number().int().min(1).max(200).default(20).describe('Maximum model requests per run'),
  temperature: z.number().min(0).max(2).optional().describe("Sampling temperature (unset: the model's own)"),
  keepAlive: z.union([z.string(), z.number()]).optional().describe('How long Ollama keeps the model loaded, e.g. `"10m"` or `-1` (unset: Ollama\'s default)'),
  tools: z
    .strictObject({
      outputChars: z.number().int().min(500).default(8000).describe('Tool output given back to the model is cut beyond this (head and tail kept)'),
      readBytes: z
        .number()
        .int()
        .min(1024)
        .default(256 * 1024)
        .describe('`read_file` truncates larger files, with a note on how to read on'),
      commandTimeoutSeconds: z.number().int().min(1).max(3600).default(120).describe('`run_command` timeout'),
      runTimeoutSeconds: z
        .number()
        .int()
        .min(1)
        .max(86_400)
        .default(1800)
        .describe("`faithh run` and `plan --verify` timeout: the user's own check, often a whole test suite"),
    })
    .prefault({})
    .describe('Limits shared by all tools'),
  rag: z
    .strictObject({
      chromaUrl: z
        .url({protocol: /^https?$/})
        .optional()
        .describe('Chroma server for the vectors (unset: faithh runs the Chroma server of the chromadb package itself, data in .faithh/chroma)'),
      embedModel: z
        .string()
        .min(1)
        .default(DEFAULT_EMBED_MODEL)
        .describe('Ollama embedding model; changing it re-embeds the project on the next `faithh index`'),
      ignore: z
        .array(z.string().min(1))
        .default([])
        .describe(
          'Globs (picomatch, root-relative; a glob without `/` matches file names in any folder) the index skips on top of ' +
            '`.gitignore`; always skipped: `.faithh/`, `*.min.js`, `*.min.css`, `*.map`, lockfiles',
        ),
      maxFileBytes: z.number().int().min(1024).default(1_000_000).describe('Larger files are not indexed'),
      chunkTokens: z
        .number()
        .int()
        .min(64)
        .max(4096)
        .default(400)
        .describe(
          'Chunk size limit in estimated tokens (characters / 3.5): ~400 keeps a chunk to one or two functions, specific enough ' +
            'to rank, whole enough to read',
        ),
      batchSize: z.number().int().min(1).max(512).default(32).describe('Texts per Ollama `/api/embed` request'),
      contextShare: z
        .number()
        .min(0)
        .max(0.75)
        .default(0.25)
        .describe('Share of the context window `ask` fills with retrieved code before the question (0 turns it off)'),
    })
    .prefault({})
    .describe('The codebase index: `faithh index`, `faithh search`, and retrieval in `ask` and `chat --rag`'),
  // Project instructions (AGENTS.md) put in the system prompt: see src/core/instructions/load.ts.
  instructions: z
    .strictObject({
      // ~1k tokens: a useful AGENTS.md fits, and a 7B model on a 16k window keeps most of it for the code.
      maxTokens: z
        .number()
        .int()
        .min(0)
        .max(32_768)
        .default(1000)
        .describe(
          'Most tokens (estimated) of project instruction files put in the system prompt; nearer files are kept first when they do not all fit. 0 turns them off.',
        ),
      fileNames: z
        .array(z.string().regex(/^(?!\.{1,2}$)[^/\\]+$/, 'a file name, without a folder'))
        .min(1)
        .default(['FAITHH.md', 'AGENTS.md'])
        .describe(
          'Instruction file names looked for in the project root and in each folder down to the files a command works on; in each folder the first one found is used.',
        ),
    })
    .prefault({})
    .describe('Project instructions (AGENTS.md) read into the system prompt.'),
  // What tools may read, write and run: see src/core/permissions/config.ts.
  permissions: permissionsConfigSchema,
  // MCP servers whose tools agent commands offer: see src/core/mcp/server-config.ts.
  mcpServers: mcpServersSchema,
  // Where commands run: see src/core/sandbox/config.ts. `"sandbox": "off"` is short for {"mode": "off"}.
  sandbox: sandboxConfigSchema,
})

export type FaithhConfig = z.infer<typeof configSchema>
/** What a config file, the environment or flags may set: any subset. */
export type ConfigInput = z.input<typeof configSchema>
