import {existsSync} from 'node:fs'
import {readFile, realpath} from 'node:fs/promises'
import path from 'node:path'
import {z} from 'zod'

import {FaithhError, type FaithhErrorOptions} from '../errors.js'
import {expandSandboxShorthand} from '../sandbox/config.js'
import {normalizeOllamaHost} from './ollama-host.js'
import {configSchema, type ConfigInput, type FaithhConfig} from './schema.js'

/** Project config lives beside faithh's other per-project state. */
export const CONFIG_DIR = '.faithh'
export const CONFIG_FILE = path.join(CONFIG_DIR, 'config.json')

/** The flags, the environment or .faithh/config.json do not make a valid configuration (exit 2). */
export class ConfigError extends FaithhError<'config'> {
  override name = 'ConfigError'

  constructor(message: string, options?: FaithhErrorOptions) {
    super('config', message, options)
  }
}

export interface LoadConfigOptions {
  cwd: string
  /** Values from command-line flags; undefined entries are ignored. */
  flags?: ConfigInput
  env?: NodeJS.ProcessEnv
}

export interface LoadedConfig {
  config: FaithhConfig
  /** Real path of the project root: the nearest ancestor with .faithh/ or .git, else cwd. */
  root: string
  /** The project's config file, if it exists. */
  file?: string
  /** The user's config file (see userConfigFile), if it exists. */
  userFile?: string
}

/**
 * flags > environment > project file > user file > defaults, validated as one object. Objects merge
 * one level deep: a project's `mcpServers` adds to the user's, and replaces a server of the same name.
 */
export async function loadConfig({cwd, flags = {}, env = process.env}: LoadConfigOptions): Promise<LoadedConfig> {
  const root = await projectRoot(cwd)
  const file = path.join(root, CONFIG_FILE)
  const userFile = userConfigFile(env)
  const hasUserFile = userFile !== undefined && userFile !== file && existsSync(userFile)
  const fromUser = hasUserFile ? await readConfigFile(userFile) : {}
  const fromFile = existsSync(file) ? await readConfigFile(file) : {}
  const fromEnv = readEnv(env)

  const merged = mergeLayers(fromUser, fromFile, fromEnv, dropUndefined(flags))
  const result = configSchema.safeParse(merged)
  if (!result.success) {
    // Only the file can be wrong in ways the other layers can't: name it when it contributed.
    const source = existsSync(file) ? file : 'flags/environment'
    throw new ConfigError(`invalid configuration in ${source}:\n${formatIssues(result.error)}`)
  }

  const config = result.data
  try {
    config.host = normalizeOllamaHost(config.host)
  } catch (error) {
    throw new ConfigError(`invalid Ollama host: ${(error as Error).message}`)
  }

  return {config, root, file: existsSync(file) ? file : undefined, userFile: hasUserFile ? userFile : undefined}
}

/**
 * The user's own settings for every project: $XDG_CONFIG_HOME/faithh/config.json, by default
 * ~/.config/faithh/config.json. Undefined when the environment names no home.
 */
export function userConfigFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const xdg = env.XDG_CONFIG_HOME?.trim()
  // The XDG spec ignores a relative XDG_CONFIG_HOME.
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'faithh', 'config.json')
  const home = env.HOME?.trim()
  return home ? path.join(home, '.config', 'faithh', 'config.json') : undefined
}

/** The project a command run in `cwd` works on, as a real path: the nearest folder upwards with .faithh/ or .git, else `cwd`. */
export async function projectRoot(cwd: string): Promise<string> {
  return realpath(findProjectRoot(path.resolve(cwd)))
}

function findProjectRoot(start: string): string {
  let dir = start
  for (;;) {
    if (existsSync(path.join(dir, CONFIG_DIR)) || existsSync(path.join(dir, '.git'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) return start
    dir = parent
  }
}

async function readConfigFile(file: string): Promise<ConfigInput> {
  const text = await readFile(file, 'utf8')
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new ConfigError(`cannot parse ${file}: ${(error as Error).message}. It must be a JSON object, e.g. {"model": "qwen2.5-coder:7b"}`)
  }

  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ConfigError(`${file} must contain a JSON object, e.g. {"model": "qwen2.5-coder:7b"}`)
  }

  const expanded = 'sandbox' in data ? {...data, sandbox: expandSandboxShorthand((data as {sandbox: unknown}).sandbox)} : data
  // Validate the file on its own first so its errors name the file and its keys.
  const result = configSchema.safeParse(expanded)
  if (!result.success) throw new ConfigError(`invalid configuration in ${file}:\n${formatIssues(result.error)}`)
  return expanded as ConfigInput
}

const ENV_KEYS = {
  OLLAMA_HOST: 'host',
  FAITHH_MODEL: 'model',
  FAITHH_NUM_CTX: 'numCtx',
  FAITHH_MAX_STEPS: 'maxSteps',
} as const

/** The environment variable behind each config key that has one (for the docs). */
export const CONFIG_ENV_VARS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(ENV_KEYS).map(([name, key]) => [key, name])),
  'rag.chromaUrl': 'CHROMA_URL',
}

function readEnv(env: NodeJS.ProcessEnv): ConfigInput {
  const out: Record<string, unknown> = {}
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name]?.trim()
    if (!value) continue
    if (key === 'numCtx' || key === 'maxSteps') {
      const number = Number(value)
      if (!Number.isInteger(number)) throw new ConfigError(`environment variable ${name}="${value}" must be a whole number`)
      out[key] = number
    } else {
      out[key] = value
    }
  }

  const chromaUrl = env.CHROMA_URL?.trim()
  if (chromaUrl) out.rag = {chromaUrl}
  const sandbox = env.FAITHH_SANDBOX?.trim()
  if (sandbox) out.sandbox = {mode: sandbox as 'auto'}
  return out as ConfigInput
}

function mergeLayers(...layers: ConfigInput[]): ConfigInput {
  const merged: Record<string, unknown> = {}
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer)) {
      const previous = merged[key]
      merged[key] = isPlainObject(previous) && isPlainObject(value) ? {...previous, ...value} : value
    }
  }

  return merged as ConfigInput
}

function dropUndefined(input: ConfigInput): ConfigInput {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as ConfigInput
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** One line per problem: the key, what was expected, what was found. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .flatMap(closestBranch)
    .map((issue) => {
      const at = issue.path.length > 0 ? `key "${issue.path.join('.')}"` : 'top level'
      if (issue.code === 'unrecognized_keys') {
        const prefix = issue.path.length > 0 ? `${issue.path.join('.')}.` : ''
        return `  - unknown key ${issue.keys.map((k) => `"${prefix}${k}"`).join(', ')} (known keys: ${knownKeys(issue.path).join(', ')})`
      }

      return `  - ${at}: ${issue.message.replace(/^Invalid input: /, '')}`
    })
    .join('\n')
}

/**
 * A value that fits no option of a union (`"sandbox": false` or an object) is reported as the option
 * it came closest to: `{"network": "some"}` is a bad network, not "invalid input".
 */
function closestBranch(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return [issue]
  const depth = (issues: z.core.$ZodIssue[]) => Math.max(...issues.map((inner) => inner.path.length))
  const closest = issue.errors.reduce((best, branch) => (depth(branch) > depth(best) ? branch : best))
  if (depth(closest) === 0) return [issue]
  return closest.map((inner) => ({...inner, path: [...issue.path, ...inner.path]})).flatMap(closestBranch)
}

function knownKeys(at: PropertyKey[]): string[] {
  let shape: z.ZodObject = configSchema
  for (const key of at) {
    const inner = unwrap(shape.shape[key as string])
    if (!(inner instanceof z.ZodObject)) return []
    shape = inner
  }

  // `$schema` is for editors, not a setting worth suggesting.
  return Object.keys(shape.shape).filter((key) => key !== '$schema')
}

function unwrap(schema: unknown): unknown {
  let current = schema as {unwrap?: () => unknown; def?: {innerType?: unknown}}
  while (current && !(current instanceof z.ZodObject) && current.def?.innerType) {
    current = current.def.innerType as typeof current
  }

  return current
}
