import {CASE_SUFFIXES, caseVariants} from './case-variants.js'
import {hasCaseVariants, type TemplateManifest, type VariableSpec} from './manifest.js'
import {renderText, type TemplateView} from './render.js'
import {TemplateError} from './template-error.js'

/** Asks a person for one missing value; `check` returns an error message for a bad answer, or undefined. */
export type AskVariable = (name: string, spec: VariableSpec, check: (raw: string) => string | undefined) => Promise<string>

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9]*(?:[ _-]+[A-Za-z0-9]+)*$/
const MAX_STRING = 2000
const MAX_IDENTIFIER = 64

/** `--var key=value` flags as a map; the value may itself contain "=". */
export function parseVarFlags(pairs: string[]): Record<string, string> {
  const values: Record<string, string> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) throw new TemplateError(`--var ${pair}: expected key=value`)
    const key = pair.slice(0, eq)
    if (Object.hasOwn(values, key)) throw new TemplateError(`--var ${key} is given twice`)
    values[key] = pair.slice(eq + 1)
  }
  return values
}

/**
 * The view a template renders with: each declared variable from --var, a person's answer, or its
 * default, validated against its type, plus the case variants of text values. Defaults may refer to
 * earlier variables (`"default": "/{{nameKebab}}"`); they are manifest text, rendered once.
 */
export async function resolveVariables(manifest: TemplateManifest, given: Record<string, string>, ask?: AskVariable): Promise<TemplateView> {
  const declared = Object.keys(manifest.variables)
  const unknown = Object.keys(given).filter((key) => !Object.hasOwn(manifest.variables, key))
  if (unknown.length > 0) {
    throw new TemplateError(
      `unknown variable${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} — this template takes: ${declared.join(', ') || 'no variables'}`,
    )
  }

  const view: TemplateView = {}
  const missing: string[] = []
  for (const [name, spec] of Object.entries(manifest.variables)) {
    let value: string | number | boolean | undefined
    const raw = given[name]
    if (raw !== undefined) {
      value = parseOrThrow(name, spec, raw, `--var ${name}`)
    } else if (spec.default !== undefined) {
      if (typeof spec.default !== 'string') {
        value = spec.default
      } else {
        const checked = checkValue(spec, renderText(spec.default, view))
        // A default built from a variable that is still missing: report the missing one, not this.
        if (checked.error !== undefined && missing.length > 0) continue
        if (checked.error !== undefined) throw new TemplateError(`default of ${name}: ${checked.error} — pass --var ${name}=VALUE`)
        value = checked.value
      }
    } else if (spec.required && ask) {
      value = parseOrThrow(name, spec, await ask(name, spec, (answer) => checkValue(spec, answer).error), name)
    } else if (spec.required) {
      missing.push(name)
      continue
    } else {
      value = spec.type === 'boolean' ? false : spec.type === 'number' ? undefined : ''
    }
    if (value === undefined) continue
    view[name] = value
    if (hasCaseVariants(spec)) {
      const variants = caseVariants(String(value))
      for (const suffix of CASE_SUFFIXES) view[name + suffix] = variants[suffix]
    }
  }

  if (missing.length > 0) {
    const lines = missing.map((name) => `  ${name}: ${manifest.variables[name]!.description}`)
    throw new TemplateError(
      `missing required variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (no terminal to ask on):\n${lines.join('\n')}\n` +
        `pass ${missing.map((name) => `--var ${name}=VALUE`).join(' ')}`,
    )
  }
  return view
}

function parseOrThrow(_name: string, spec: VariableSpec, raw: string, where: string): string | number | boolean {
  const {value, error} = checkValue(spec, raw)
  if (error !== undefined) throw new TemplateError(`${where}: ${error}`)
  return value!
}

/** Validates one raw value against its declared type. */
export function checkValue(spec: VariableSpec, raw: string): {value?: string | number | boolean; error?: string} {
  // Values are never rendered again, so this is defence in depth: such a value is almost always a mistake or an attack.
  if (raw.includes('{{')) return {error: 'contains "{{": template syntax is not allowed in values'}
  if (/[\u0000-\u0008\u000B-\u001F\u007F]/.test(raw)) return {error: 'contains control characters'}
  switch (spec.type) {
    case 'string':
      if (raw.length > MAX_STRING) return {error: `longer than ${MAX_STRING} characters`}
      if (spec.pattern !== undefined && !new RegExp(spec.pattern, 'u').test(raw)) return {error: `"${raw}" does not match ${spec.pattern}`}
      if (spec.required && raw.trim() === '') return {error: 'must not be empty'}
      return {value: raw}
    case 'identifier':
      if (raw.length > MAX_IDENTIFIER || !IDENTIFIER.test(raw)) {
        return {error: `"${raw}" is not a name: use letters and digits, words separated by spaces, - or _ (e.g. "user profile" or userProfile)`}
      }
      return {value: raw}
    case 'number': {
      const value = raw.trim() === '' ? Number.NaN : Number(raw)
      if (!Number.isFinite(value)) return {error: `"${raw}" is not a number`}
      if (spec.integer && !Number.isInteger(value)) return {error: `"${raw}" is not a whole number`}
      if (spec.min !== undefined && value < spec.min) return {error: `${value} is below the minimum ${spec.min}`}
      if (spec.max !== undefined && value > spec.max) return {error: `${value} is above the maximum ${spec.max}`}
      return {value}
    }
    case 'boolean': {
      const text = raw.trim().toLowerCase()
      if (['true', 'yes', 'y', '1'].includes(text)) return {value: true}
      if (['false', 'no', 'n', '0'].includes(text)) return {value: false}
      return {error: `"${raw}" is not a boolean: use true or false`}
    }
    case 'enum':
      return spec.values.includes(raw) ? {value: raw} : {error: `"${raw}" is not one of ${spec.values.join(', ')}`}
  }
}
