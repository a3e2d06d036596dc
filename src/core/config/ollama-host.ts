/**
 * Reads a host the way Ollama itself reads OLLAMA_HOST (envconfig.Host): scheme defaults to http,
 * the port to 11434 when no scheme is given (80/443 with an explicit one), `:port` and bare hosts work.
 * So `OLLAMA_HOST=0.0.0.0`, `localhost:11500` and `https://ollama.lan` all mean what they mean to `ollama`.
 */
export function normalizeOllamaHost(raw: string): string {
  const value = raw.trim()
  let scheme = 'http'
  let rest = value
  let defaultPort = '11434'
  const sep = value.indexOf('://')
  if (sep !== -1) {
    scheme = value.slice(0, sep).toLowerCase()
    rest = value.slice(sep + 3)
    if (scheme === 'http') defaultPort = '80'
    else if (scheme === 'https') defaultPort = '443'
    else throw new Error(`unsupported scheme "${scheme}" in host "${raw}" (use http:// or https://)`)
  }

  const slash = rest.indexOf('/')
  const hostPort = slash === -1 ? rest : rest.slice(0, slash)
  const path = slash === -1 ? '' : rest.slice(slash).replace(/\/+$/, '')

  let host = '127.0.0.1'
  let port = defaultPort
  const match = /^(\[[^\]]+\]|[^:]*)(?::(\d*))?$/.exec(hostPort)
  if (!match) throw new Error(`cannot read host "${raw}"; expected e.g. http://127.0.0.1:11434`)
  if (match[1]) host = match[1]
  if (match[2]) port = match[2]

  const url = `${scheme}://${host}:${port}${path}`
  try {
    new URL(url)
  } catch {
    throw new Error(`cannot read host "${raw}"; expected e.g. http://127.0.0.1:11434`)
  }

  return url
}
