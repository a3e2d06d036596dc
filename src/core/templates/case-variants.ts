/**
 * Logic-less templates cannot call functions, so every text variable comes with its case variants
 * precomputed: `name` = "user profile" gives `nameCamel` userProfile, `namePascal` UserProfile,
 * `nameKebab` user-profile, `nameSnake` user_profile and `nameConstant` USER_PROFILE.
 */
export const CASE_SUFFIXES = ['Camel', 'Pascal', 'Kebab', 'Snake', 'Constant'] as const

export type CaseSuffix = (typeof CASE_SUFFIXES)[number]

/** Words of an identifier in any common style: "HTTPServer_v2-list" → HTTP, Server, v2, list. */
export function splitWords(value: string): string[] {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
}

export function caseVariants(value: string): Record<CaseSuffix, string> {
  const words = splitWords(value).map((word) => word.toLowerCase())
  const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1)
  return {
    Camel: words.map((word, index) => (index === 0 ? word : capital(word))).join(''),
    Pascal: words.map(capital).join(''),
    Kebab: words.join('-'),
    Snake: words.join('_'),
    Constant: words.join('_').toUpperCase(),
  }
}
