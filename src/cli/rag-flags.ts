import {Flags} from '@oclif/core'

import type {ConfigInput} from '../core/config/schema.js'

/** Flags of the commands that use the codebase index; they override env and the config file. */
export const ragFlags = {
  host: Flags.string({helpValue: 'URL', description: 'Ollama server URL, for embeddings (env OLLAMA_HOST, config "host")', helpGroup: 'INDEX'}),
  'chroma-url': Flags.string({
    helpValue: 'URL',
    description: 'Chroma server to keep vectors in, instead of the one faithh runs itself (env CHROMA_URL, config "rag.chromaUrl")',
    helpGroup: 'INDEX',
  }),
  'embed-model': Flags.string({
    helpValue: 'NAME',
    description: 'Ollama embedding model (config "rag.embedModel", default nomic-embed-text); changing it re-embeds everything',
    helpGroup: 'INDEX',
  }),
}

export interface RagFlagValues {
  host?: string
  'chroma-url'?: string
  'embed-model'?: string
}

/** Only the flags given: an unset flag must not hide the environment or the config file. */
export function ragConfigFromFlags(flags: RagFlagValues): ConfigInput {
  const rag: NonNullable<ConfigInput['rag']> = {}
  if (flags['chroma-url']) rag.chromaUrl = flags['chroma-url']
  if (flags['embed-model']) rag.embedModel = flags['embed-model']
  return {host: flags.host, ...(Object.keys(rag).length > 0 ? {rag} : {})}
}
