import type {AskVariable} from '../core/templates/variables.js'

/** Asks for a missing template variable at the terminal (on stderr, so stdout stays the diff). */
export function terminalVariablePrompt(stderr: NodeJS.WriteStream = process.stderr): AskVariable {
  return async (name, spec, check) => {
    // Loaded on first use: most runs get every value from --var.
    const {confirm, input, select} = await import('@inquirer/prompts')
    const context = {output: stderr, clearPromptOnDone: false}
    const message = `${name} — ${spec.description}`
    if (spec.type === 'enum') return select({message, choices: spec.values.map((value) => ({name: value, value}))}, context)
    if (spec.type === 'boolean') return String(await confirm({message}, context))
    return input({message, validate: (value) => check(value) ?? true}, context)
  }
}
