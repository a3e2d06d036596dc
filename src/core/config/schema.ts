import {z} from 'zod'

import {permissionsConfigSchema} from '../permissions/config.js'
import {sandboxConfigSchema} from '../sandbox/config.js'

export const DEFAULT_MODEL = 'qwen2.5-coder:7b'
export const DEFAULT_HOST = 'http://127.0.0.1:11434'
export const DEFAULT_EMBED_MODEL = 'nomic-embed-text'

/**
 * The whole configuration. Every key is optional in a file; defaults fill the rest.
 * Strict objects: a misspelt key is an error, not a silently ignored setting.
 */
export const configSchema = z.strictObject({
  model: z.string().min(1).default(DEFAULT_MODEL),
  host: z.string().min(1).default(DEFAULT_HOST),
  // 16k leaves room for files and tool output on top of our ~1k-token opening prompt, and its KV cache
  // fits beside a 7B model on an 8 GB GPU. Capped by the model's own context length at run time.
  numCtx: z.number().int().min(2048).max(1_048_576).default(16_384),
  maxSteps: z.number().int().min(1).max(200).default(20),
  temperature: z.number().min(0).max(2).optional(),
  keepAlive: z.union([z.string(), z.number()]).optional(),
  tools: z
    .strictObject({
      outputChars: z.number().int().min(500).default(8000),
      readBytes: z.number().int().min(1024).default(256 * 1024),
      commandTimeoutSeconds: z.number().int().min(1).max(3600).default(120),
      // `faithh run` and `plan --verify`: the user's own check, often a whole test suite.
      runTimeoutSeconds: z.number().int().min(1).max(86_400).default(1800),
    })
    .prefault({}),
  rag: z
    .strictObject({
      // Unset: faithh runs the Chroma server from the chromadb package itself, data in .faithh/chroma.
      chromaUrl: z.url({protocol: /^https?$/}).optional(),
      embedModel: z.string().min(1).default(DEFAULT_EMBED_MODEL),
      // Globs (picomatch, root-relative; no "/" = any folder) skipped on top of .gitignore.
      ignore: z.array(z.string().min(1)).default([]),
      maxFileBytes: z.number().int().min(1024).default(1_000_000),
      // ~400 tokens keeps a chunk to one or two functions: specific enough to rank, whole enough to read.
      chunkTokens: z.number().int().min(64).max(4096).default(400),
      batchSize: z.number().int().min(1).max(512).default(32),
      // Share of the context window `ask` fills with retrieved chunks before the question.
      contextShare: z.number().min(0).max(0.75).default(0.25),
    })
    .prefault({}),
  // What tools may read, write and run: see src/core/permissions/config.ts.
  permissions: permissionsConfigSchema,
  // Where commands run: see src/core/sandbox/config.ts. `"sandbox": "off"` is short for {"mode": "off"}.
  sandbox: sandboxConfigSchema,
})

export type FaithhConfig = z.infer<typeof configSchema>
/** What a config file, the environment or flags may set: any subset. */
export type ConfigInput = z.input<typeof configSchema>
