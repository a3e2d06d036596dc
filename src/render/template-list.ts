import {describeSource, type Template} from '../core/templates/catalog.js'
import type {VariableSpec} from '../core/templates/manifest.js'
import type {Style} from './style.js'

/** `faithh gen --list` as a table: name, where it comes from, what it makes. */
export function formatTemplateList(templates: Template[], style: Style): string {
  if (templates.length === 0) return 'no templates found'
  const rows = templates.map((template) => [template.name, describeSource(template), template.manifest.summary, template.overrides] as const)
  const nameWidth = Math.max(...rows.map(([name]) => name.length))
  const sourceWidth = Math.max(...rows.map(([, source]) => source.length))
  return rows
    .map(([name, source, summary, overrides]) => {
      const note = overrides.length > 0 ? style.dim(` (overrides ${overrides.join(', ')})`) : ''
      return `${style.bold(name.padEnd(nameWidth))}  ${style.dim(source.padEnd(sourceWidth))}  ${summary}${note}`
    })
    .join('\n')
}

/** The JSON form of a template: what a script needs to call `faithh gen` with the right --var flags. */
export function templateJson(template: Template) {
  return {
    name: template.name,
    source: describeSource(template),
    summary: template.manifest.summary,
    dir: template.dir,
    overrides: template.overrides,
    variables: Object.fromEntries(Object.entries(template.manifest.variables).map(([name, spec]) => [name, variableJson(spec)])),
    files: template.manifest.files.map((file) => file.to),
  }
}

function variableJson(spec: VariableSpec) {
  return {...spec, required: spec.required ?? false}
}
