import {createRequire} from 'node:module'
import type {Debugger} from 'debug'

export type DebugChannel = Pick<Debugger, 'enabled'> & ((formatter: unknown, ...args: unknown[]) => void)

const off: DebugChannel = Object.assign(() => {}, {enabled: false})

/**
 * A channel of the debug package (`DEBUG=faithh:ollama`, `DEBUG=faithh*`). Without DEBUG in the
 * environment the package prints nothing, yet loading it loads tty, net and supports-color, on every
 * start: then this is a silent stand-in and the package is never loaded.
 */
export function debugChannel(namespace: string): DebugChannel {
  if (!process.env.DEBUG) return off
  const makeDebug = createRequire(import.meta.url)('debug') as (namespace: string) => Debugger
  return makeDebug(namespace)
}
