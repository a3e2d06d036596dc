export type RagErrorCode = 'chroma_unreachable' | 'chroma_failed' | 'no_index' | 'index_busy'

/** A failure of the codebase index, worded so the user knows what to do next. */
export class RagError extends Error {
  override name = 'RagError'
  constructor(
    readonly code: RagErrorCode,
    message: string,
  ) {
    super(message)
  }
}
