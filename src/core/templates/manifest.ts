import {z} from 'zod'

import {CASE_SUFFIXES} from './case-variants.js'

/** The file that makes a folder a template. */
export const MANIFEST_FILE = 'template.json'

const description = z.string().trim().min(1).max(200)
const required = z.boolean().optional()

const stringVariable = z.strictObject({
  type: z.literal('string'),
  description,
  required,
  default: z.string().optional(),
  /** A regular expression the whole value must match, e.g. "^/[a-z0-9/:_-]*$" for a route. */
  pattern: z.string().optional(),
})
/** Words of letters and digits ("user profile", "userProfile", "user-profile"): safe in paths and code. */
const identifierVariable = z.strictObject({type: z.literal('identifier'), description, required, default: z.string().optional()})
const numberVariable = z.strictObject({
  type: z.literal('number'),
  description,
  required,
  default: z.number().optional(),
  integer: z.boolean().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
})
const booleanVariable = z.strictObject({type: z.literal('boolean'), description, required, default: z.boolean().optional()})
const enumVariable = z.strictObject({
  type: z.literal('enum'),
  description,
  required,
  values: z.array(z.string().min(1)).min(1),
  default: z.string().optional(),
})

export const variableSchema = z.discriminatedUnion('type', [stringVariable, identifierVariable, numberVariable, booleanVariable, enumVariable])
export type VariableSpec = z.infer<typeof variableSchema>

/** A template file's own path, inside the template folder. */
const templateFilePath = z
  .string()
  .min(1)
  .refine((value) => !value.startsWith('/') && !value.includes('\\') && !value.split('/').some((part) => part === '..' || part === ''), {
    message: 'must be a relative path inside the template folder, without ".." or empty parts',
  })

export const manifestSchema = z
  .strictObject({
    /** One line for `faithh gen --list`. */
    summary: z
      .string()
      .trim()
      .min(1)
      .max(120)
      .regex(/^[^\n]*$/, 'must be one line'),
    /** In declaration order: missing ones are asked for in this order, and defaults may use earlier ones. */
    variables: z
      .record(z.string().regex(/^[a-z][A-Za-z0-9]*$/, 'variable names are camelCase: a-z first, then letters and digits'), variableSchema)
      .default({}),
    /** `from`: the template file; `to`: the output path pattern, rendered like the file (`src/{{nameKebab}}.ts`). */
    files: z.array(z.strictObject({from: templateFilePath, to: z.string().min(1)})).min(1),
  })
  .superRefine((manifest, ctx) => {
    const names = new Set(Object.keys(manifest.variables))
    for (const [name, spec] of Object.entries(manifest.variables)) {
      const issue = (message: string) => ctx.addIssue({code: 'custom', path: ['variables', name], message})
      for (const suffix of hasCaseVariants(spec) ? CASE_SUFFIXES : []) {
        if (names.has(name + suffix)) issue(`${name + suffix} clashes with the case variant of ${name}; rename one`)
      }
      if (spec.type === 'enum' && spec.default !== undefined && !spec.values.includes(spec.default))
        issue(`default "${spec.default}" is not one of ${spec.values.join(', ')}`)
      if (spec.type === 'string' && spec.pattern !== undefined) {
        try {
          new RegExp(spec.pattern, 'u')
        } catch (error) {
          issue(`pattern is not a valid regular expression: ${(error as Error).message}`)
        }
      }
    }
    for (const [index, file] of manifest.files.entries()) {
      if (file.to.startsWith('/') || file.to.includes('\\') || file.to.split('/').some((part) => part === '..')) {
        ctx.addIssue({code: 'custom', path: ['files', index, 'to'], message: 'must be a relative path without ".."'})
      }
    }
  })

export type TemplateManifest = z.infer<typeof manifestSchema>

/** Text-like variables get case variants (`nameCamel`, …); numbers and booleans do not. */
export function hasCaseVariants(spec: VariableSpec): boolean {
  return spec.type === 'string' || spec.type === 'identifier' || spec.type === 'enum'
}

/** Every name a template of this manifest may use. */
export function knownNames(manifest: TemplateManifest): Set<string> {
  const names = new Set<string>()
  for (const [name, spec] of Object.entries(manifest.variables)) {
    names.add(name)
    if (hasCaseVariants(spec)) for (const suffix of CASE_SUFFIXES) names.add(name + suffix)
  }
  return names
}
