import {FaithhError} from '../errors.js'

export type RagErrorCode = 'chroma_unreachable' | 'chroma_failed' | 'no_index' | 'index_busy'

/** A failure of the codebase index, worded so the user knows what to do next. */
export class RagError extends FaithhError<RagErrorCode> {
  override name = 'RagError'
}
