/**
 * JSON with object keys sorted at every level, so that {a, b} and {b, a} read the same: the key of a
 * repeated tool call, the hash of a trusted MCP server entry (stored on disk: keep its bytes stable).
 * An undefined value is written as null.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`
  }

  return JSON.stringify(value) ?? 'null'
}
