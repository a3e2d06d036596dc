import Mustache from 'mustache'

/** Values a template can see: declared variables, their case variants, nothing else. */
export type TemplateView = Record<string, string | number | boolean>

/**
 * Renders with Mustache, chosen because the language is logic-less by specification: a template can
 * only insert values and show or hide blocks, never run code. Values are inserted in one pass, so a
 * value that itself contains `{{…}}` comes out literally and is never rendered again. HTML escaping
 * is off (we generate code, not HTML), and the view has no prototype, so `{{constructor}}` finds nothing.
 */
export function renderText(text: string, view: TemplateView): string {
  const safeView = Object.assign(Object.create(null) as TemplateView, view)
  return Mustache.render(text, safeView, {}, {escape: (value: unknown) => String(value)})
}

export type TemplateProblem = {kind: 'unknown'; name: string} | {kind: 'partial'; name: string} | {kind: 'syntax'; message: string}

/**
 * What a template refers to that the manifest does not declare: typos, partials (not supported:
 * a template is its own file set), dotted names that reach into a value's properties.
 * Checked when a template is loaded, so a mistake fails before anything is generated.
 */
export function templateProblems(text: string, known: ReadonlySet<string>): TemplateProblem[] {
  let tokens: unknown[]
  try {
    tokens = Mustache.parse(text)
  } catch (error) {
    return [{kind: 'syntax', message: (error as Error).message}]
  }

  const problems: TemplateProblem[] = []
  const visit = (list: unknown[]) => {
    for (const token of list as [string, string, ...unknown[]][]) {
      const [type, value] = token
      if (type === '>') problems.push({kind: 'partial', name: value})
      if ((type === 'name' || type === '&' || type === '#' || type === '^') && !known.has(value)) problems.push({kind: 'unknown', name: value})
      if ((type === '#' || type === '^') && Array.isArray(token[4])) visit(token[4])
    }
  }
  visit(tokens)
  return problems
}

export function describeProblem(problem: TemplateProblem): string {
  switch (problem.kind) {
    case 'unknown':
      return `{{${problem.name}}} is not a declared variable`
    case 'partial':
      return `partials ({{> ${problem.name}}}) are not supported`
    case 'syntax':
      return problem.message
  }
}
