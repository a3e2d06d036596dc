import {FaithhError, type FaithhErrorOptions} from './errors.js'

/**
 * Imports a dependency that faithh loads on first use rather than at start-up (the shell grammar,
 * Chroma's client). A broken or partial install then fails where the feature is used, so say which
 * package is missing and how to get it back, instead of Node's "Cannot find module" with a require stack.
 * `load` is the literal `import()`, so that bundlers and the compiler still see it; `toError` makes
 * the error of the caller's kind (a RagError for Chroma, which search turns into a lexical-only note).
 */
export async function importDependency<T>(
  name: string,
  purpose: string,
  load: () => Promise<T>,
  toError: (message: string, options: FaithhErrorOptions) => FaithhError = (message, options) => new FaithhError('failure', message, options),
): Promise<T> {
  try {
    return await load()
  } catch (error) {
    if (!isMissingPackage(error, name)) throw error
    throw toError(`${purpose} needs the package ${name}, which is not installed`, {
      hint: 'reinstall faithh (`npm install -g faithh`, or `npm ci` in its folder)',
      cause: error,
    })
  }
}

/** Node's two "not found" errors (require and import), about this package and not one it imports in turn. */
function isMissingPackage(error: unknown, name: string): boolean {
  const {code, message} = (error ?? {}) as {code?: unknown; message?: unknown}
  if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') return false
  const first = String(message).split('\n', 1)[0]!
  return first.includes(`'${name}'`) || first.includes(`'${name}/`) || first.includes(`/node_modules/${name}/`)
}
