import {readPythonLiteral} from './python-literals.js'

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?$/

/**
 * A parameter value written as raw text (Qwen3-Coder `<parameter=k>`, `<invoke>` parameters): the
 * tool's declared type when known, else the obvious reading — a JSON number, true/false/null, or a
 * JSON object/array — and the text itself otherwise. Templates render these values with Jinja, so
 * booleans may come back as Python's True/False.
 */
export function readRawValue(text: string, type?: string): unknown {
  const trimmed = text.trim()
  switch (type) {
    case 'string':
      return text
    case 'integer':
    case 'number':
      return JSON_NUMBER.test(trimmed) ? Number(trimmed) : text
    case 'boolean':
      return /^(true|True)$/.test(trimmed) ? true : /^(false|False)$/.test(trimmed) ? false : text
    case 'object':
    case 'array':
      return readStructured(trimmed) ?? text
    default:
      if (JSON_NUMBER.test(trimmed)) return Number(trimmed)
      if (trimmed === 'true' || trimmed === 'True') return true
      if (trimmed === 'false' || trimmed === 'False') return false
      if (trimmed === 'null' || trimmed === 'None') return null
      return readStructured(trimmed) ?? text
  }
}

function readStructured(text: string): unknown {
  if (!/^[[{]/.test(text)) return undefined
  try {
    return JSON.parse(text)
  } catch {
    const python = readPythonLiteral(text)
    return python.ok && typeof python.value === 'object' ? python.value : undefined
  }
}
