import type {JsonSchemaObject} from '../tools/tool.js'

/** A tool description longer than this is cut: it is paid for in every request. */
export const MAX_TOOL_DESCRIPTION = 240
/** Descriptions of single arguments, likewise. */
const MAX_PROPERTY_DESCRIPTION = 120
/** Keys that cost tokens and tell a small model nothing it needs to make the call. */
const DROPPED_KEYS = new Set(['$schema', '$id', '$comment', 'title', 'examples', 'additionalProperties', 'deprecated', 'readOnly', 'writeOnly'])

/** An MCP tool's input schema as compact JSON schema: the server's own, minus noise, with long descriptions cut. */
export function compactInputSchema(schema: Record<string, unknown>): JsonSchemaObject {
  const compact = compactNode(schema) as Record<string, unknown>
  return {...compact, type: 'object'} as JsonSchemaObject
}

function compactNode(node: unknown, key?: string): unknown {
  if (Array.isArray(node)) return node.map((item) => compactNode(item))
  if (node === null || typeof node !== 'object') return node
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(node)) {
    // Under `properties` the keys are argument names, never schema keywords to drop.
    if (key !== 'properties' && DROPPED_KEYS.has(name)) continue
    if (key !== 'properties' && name === 'description' && typeof value === 'string') {
      out[name] = shorten(value, MAX_PROPERTY_DESCRIPTION)
      continue
    }

    out[name] = compactNode(value, name)
  }

  return out
}

/** Whitespace collapsed; cut at a sentence or word end within `max`, marked with "…". */
export function shorten(text: string, max: number): string {
  const flat = text.replaceAll(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const head = flat.slice(0, max - 1)
  const sentence = head.lastIndexOf('. ')
  if (sentence > max / 2) return head.slice(0, sentence + 1)
  const word = head.lastIndexOf(' ')
  return `${(word > max / 2 ? head.slice(0, word) : head).replace(/[\s,;:]+$/, '')}…`
}
