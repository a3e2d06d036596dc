import type {ProjectFacts} from './detect.js'

type JsonObject = Record<string, unknown>

/**
 * The starter .faithh/config.json: the model, so the file shows where to change it, and rag.ignore
 * for generated folders that .gitignore does not already keep out of the index.
 */
export function starterConfig(facts: ProjectFacts, model: string): JsonObject {
  const config: JsonObject = {model}
  const ignore = facts.generated.filter((found) => !found.gitignored).map((found) => `${found.dir}/**`)
  if (ignore.length > 0) config.rag = {ignore}
  return config
}

/**
 * The user's config with the starter's keys that it lacks, and the dotted names of those keys.
 * Every value already there wins, lists included (a list is never extended: it may replace a
 * default on purpose), and keys faithh does not know are kept as they are.
 */
export function mergeConfig(existing: JsonObject, starter: JsonObject): {merged: JsonObject; added: string[]} {
  const added: string[] = []
  const merge = (into: JsonObject, from: JsonObject, prefix: string): JsonObject => {
    const out: JsonObject = {...into}
    for (const [key, value] of Object.entries(from)) {
      if (!Object.hasOwn(into, key)) {
        out[key] = value
        added.push(prefix + key)
      } else if (isObject(into[key]) && isObject(value)) {
        out[key] = merge(into[key], value, `${prefix}${key}.`)
      }
    }

    return out
  }

  return {merged: merge(existing, starter, ''), added}
}

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
