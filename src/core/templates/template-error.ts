import {FaithhError} from '../errors.js'

/**
 * An expected failure of `faithh gen`: a bad template name or variable, a path that escapes, a
 * broken template. `refused`: the permission policy said no (exit 6); otherwise the input was wrong (exit 2).
 */
export class TemplateError extends FaithhError<'usage' | 'refused'> {
  override name = 'TemplateError'

  constructor(message: string, code: 'usage' | 'refused' = 'usage') {
    super(code, message)
  }
}
