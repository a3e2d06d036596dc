import {Flags} from '@oclif/core'

/** Flags every model-using command shares; they override env and the config file. */
export const modelFlags = {
  model: Flags.string({helpValue: 'NAME', char: 'm', description: 'Ollama model to use (env FAITHH_MODEL, config "model")', helpGroup: 'MODEL'}),
  host: Flags.string({helpValue: 'URL', description: 'Ollama server URL (env OLLAMA_HOST, config "host")', helpGroup: 'MODEL'}),
  'num-ctx': Flags.integer({
    helpValue: 'N',
    description: 'context window to request from Ollama, capped by the model (config "numCtx")',
    min: 2048,
    helpGroup: 'MODEL',
  }),
}

export const agentFlags = {
  ...modelFlags,
  'max-steps': Flags.integer({helpValue: 'N', description: 'maximum model requests before giving up (config "maxSteps")', min: 1, max: 200}),
  json: Flags.boolean({description: 'print agent events as JSON lines (one object per line) instead of text'}),
}

export interface ModelFlagValues {
  model?: string
  host?: string
  'num-ctx'?: number
  'max-steps'?: number
}

export function configFromFlags(flags: ModelFlagValues) {
  return {model: flags.model, host: flags.host, numCtx: flags['num-ctx'], maxSteps: flags['max-steps']}
}
