/** Prefixes models put before a tool name out of habit: OpenAI's `functions.` namespace, Gemini's `default_api.`. */
const HABIT_PREFIX = /^(?:functions|default_api)\s*[.:]\s*/i

export interface ResolvedName {
  name: string
  /** Set when the written name was a variant of the offered one. */
  repair?: string
}

/**
 * The names of the tools offered to the model, and the trivial variants of them a model writes:
 * another case, `-` for `_`, a `functions.` or `default_api.` prefix. Any other name is not a call.
 */
export class ToolNames {
  private readonly exact: ReadonlySet<string>
  /** Variant key → offered name; null when two offered names share a key (then only exact names count). */
  private readonly variants = new Map<string, string | null>()

  constructor(names: readonly string[]) {
    this.exact = new Set(names.filter((name) => typeof name === 'string' && name !== ''))
    for (const name of this.exact) {
      const key = variantKey(name)
      this.variants.set(key, this.variants.has(key) ? null : name)
    }
  }

  get size(): number {
    return this.exact.size
  }

  resolve(written: string): ResolvedName | undefined {
    const trimmed = written.trim()
    if (this.exact.has(trimmed)) return {name: trimmed}
    const name = this.variants.get(variantKey(trimmed.replace(HABIT_PREFIX, '')))
    return name ? {name, repair: `name "${trimmed}" → "${name}"`} : undefined
  }

  /** Cheap pre-check: a reply that spells no tool name (in any variant) holds no call. */
  mentionedIn(content: string): boolean {
    const folded = variantKey(content)
    for (const key of this.variants.keys()) if (folded.includes(key)) return true
    return false
  }
}

function variantKey(name: string): string {
  return name.toLowerCase().replaceAll('-', '_')
}
