import {importDependency} from '../lazy-dependency.js'
import {RagError} from './rag-error.js'

/**
 * The vector store module, with the chromadb client it imports, loaded when vectors are first read or
 * written: runs without vectors never load it. Without chromadb installed this is a chroma_failed
 * RagError naming the package, which a search reports as lexical-only results.
 */
export function loadChromaStore(): Promise<typeof import('./chroma-store.js')> {
  return importDependency(
    'chromadb',
    'Vector search (Chroma)',
    () => import('./chroma-store.js'),
    (message, options) => new RagError('chroma_failed', message, options),
  )
}
