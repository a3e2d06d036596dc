/**
 * An expected failure of `faithh gen`: a bad template name or variable, a path that escapes, a
 * broken template. `refused`: the permission policy said no (exit 6); otherwise the input was wrong (exit 2).
 */
export class TemplateError extends Error {
  override name = 'TemplateError'

  constructor(
    message: string,
    readonly kind: 'usage' | 'refused' = 'usage',
  ) {
    super(message)
  }
}
