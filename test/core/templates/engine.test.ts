import {mkdir, mkdtemp, realpath, rm, symlink, writeFile} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {caseVariants} from '../../../src/core/templates/case-variants.js'
import {builtinTemplatesDir, listTemplates, loadTemplate, type TemplateSource} from '../../../src/core/templates/catalog.js'
import {renderOutputPath, resolveOutDir} from '../../../src/core/templates/generate.js'
import {manifestSchema, type TemplateManifest, type VariableSpec} from '../../../src/core/templates/manifest.js'
import {describeProblem, renderText, templateProblems} from '../../../src/core/templates/render.js'
import {checkValue, parseVarFlags, resolveVariables} from '../../../src/core/templates/variables.js'

describe('renderText: logic-less and single-pass', () => {
  it.each([
    ['a value containing {{ is inserted literally, never rendered again', 'hi {{x}}', {x: '{{y}}', y: 'SECRET'}, 'hi {{y}}'],
    ['triple braces do not re-render either', '{{{x}}}', {x: '{{#y}}boom{{/y}}', y: true}, '{{#y}}boom{{/y}}'],
    ['no HTML escaping: we generate code', '{{x}}', {x: `<a href="x">&'`}, `<a href="x">&'`],
    ['prototype names find nothing', '[{{constructor}}][{{toString}}][{{__proto__}}]', {}, '[][][]'],
    ['a true boolean shows its section', '{{#flag}}on{{/flag}}{{^flag}}off{{/flag}}', {flag: true}, 'on'],
    ['a false boolean shows the inverted section', '{{#flag}}on{{/flag}}{{^flag}}off{{/flag}}', {flag: false}, 'off'],
    ['an empty string hides a section', '{{#scope}}({{scope}}){{/scope}}', {scope: ''}, ''],
    ['a string section can use its own value', '{{#scope}}({{scope}}){{/scope}}', {scope: 'api'}, '(api)'],
  ])('%s', (_name, template, view, expected) => {
    expect(renderText(template, view)).toBe(expected)
  })
})

describe('templateProblems: mistakes and tricks are caught when a template loads', () => {
  const known = new Set(['name', 'nameKebab', 'flag'])
  it.each([
    ['declared names are fine', '{{name}} {{#flag}}{{nameKebab}}{{/flag}}', []],
    ['an undeclared name', '{{nmae}}', ['{{nmae}} is not a declared variable']],
    ['an undeclared name inside a section', '{{#flag}}{{other}}{{/flag}}', ['{{other}} is not a declared variable']],
    ['a dotted name reaching into a value', '{{name.constructor}}', ['{{name.constructor}} is not a declared variable']],
    ['partials', '{{> header}}', ['partials ({{> header}}) are not supported']],
    ['unclosed section', '{{#flag}}x', ['Unclosed section "flag" at 10']],
  ])('%s', (_name, template, expected) => {
    expect(templateProblems(template, known).map(describeProblem)).toEqual(expected)
  })
})

describe('caseVariants', () => {
  it.each([
    ['user', {Camel: 'user', Pascal: 'User', Kebab: 'user', Snake: 'user', Constant: 'USER'}],
    ['user profile', {Camel: 'userProfile', Pascal: 'UserProfile', Kebab: 'user-profile', Snake: 'user_profile', Constant: 'USER_PROFILE'}],
    ['userProfile', {Camel: 'userProfile', Pascal: 'UserProfile', Kebab: 'user-profile', Snake: 'user_profile', Constant: 'USER_PROFILE'}],
    ['HTTPServer_v2', {Camel: 'httpServerV2', Pascal: 'HttpServerV2', Kebab: 'http-server-v2', Snake: 'http_server_v2', Constant: 'HTTP_SERVER_V2'}],
    ['../../etc/passwd', {Camel: 'etcPasswd', Pascal: 'EtcPasswd', Kebab: 'etc-passwd', Snake: 'etc_passwd', Constant: 'ETC_PASSWD'}],
  ])('%s', (input, expected) => {
    expect(caseVariants(input)).toEqual(expected)
  })
})

describe('checkValue: hostile and wrong values are refused', () => {
  const identifier: VariableSpec = {type: 'identifier', description: 'd'}
  const route: VariableSpec = {type: 'string', description: 'd', pattern: '^/[a-z/]*$'}
  const text: VariableSpec = {type: 'string', description: 'd'}
  const count: VariableSpec = {type: 'number', description: 'd', integer: true, min: 1, max: 10}
  const flag: VariableSpec = {type: 'boolean', description: 'd'}
  const method: VariableSpec = {type: 'enum', description: 'd', values: ['get', 'post']}
  it.each([
    ['template syntax in a string', text, 'x {{y}}', /template syntax/],
    ['template syntax in an identifier', identifier, '{{y}}', /template syntax/],
    ['a NUL byte', text, 'a\u0000b', /control characters/],
    ['an escape sequence', text, '\u001b[2J', /control characters/],
    ['.. in an identifier', identifier, '..', /not a name/],
    ['a slash in an identifier', identifier, 'a/b', /not a name/],
    ['a dot in an identifier', identifier, 'a.b', /not a name/],
    ['a quote in an identifier', identifier, `a'b`, /not a name/],
    ['a string against its pattern', route, `/x'); process.exit(1); ('`, /does not match/],
    ['not a number', count, 'ten', /not a number/],
    ['not whole', count, '1.5', /whole/],
    ['below the minimum', count, '0', /minimum/],
    ['not a boolean', flag, 'maybe', /boolean/],
    ['not in the enum', method, 'GET', /not one of get, post/],
  ])('refuses %s', (_name, spec, raw, error) => {
    expect(checkValue(spec, raw).error).toMatch(error)
  })

  it.each([
    ['an identifier in words', identifier, 'user profile', 'user profile'],
    ['a camelCase identifier', identifier, 'userProfile', 'userProfile'],
    ['a string with newlines', text, 'line 1\nline 2', 'line 1\nline 2'],
    ['a number', count, '3', 3],
    ['yes as a boolean', flag, 'yes', true],
    ['an enum value', method, 'post', 'post'],
  ])('accepts %s', (_name, spec, raw, value) => {
    expect(checkValue(spec, raw)).toEqual({value})
  })
})

describe('renderOutputPath: a variable can never move a file out of the output folder', () => {
  it.each([
    ['climbing out', '{{dir}}/x.ts', {dir: '../..'}, /contains "\." or "\.\."/],
    ['climbing out mid-path', 'src/{{dir}}/x.ts', {dir: 'a/../../b'}, /contains "\." or "\.\."/],
    ['an absolute path', '{{dir}}/x.ts', {dir: '/etc'}, /absolute/],
    ['a Windows path', '{{dir}}/x.ts', {dir: 'C:'}, /absolute/],
    ['a backslash', '{{dir}}/x.ts', {dir: '..\\..'}, /backslash/],
    ['an empty variable', 'src/{{dir}}/x.ts', {dir: ''}, /empty part/],
    ['a newline', 'src/{{dir}}.ts', {dir: 'a\nb'}, /control characters/],
  ])('refuses %s', (_name, pattern, view, error) => {
    expect(() => renderOutputPath(pattern, view)).toThrow(error)
  })

  it('keeps folders a variable adds', () => {
    expect(renderOutputPath('src/{{dir}}/x.ts', {dir: 'a/b'})).toBe('src/a/b/x.ts')
  })
})

describe('resolveOutDir', () => {
  it.each([
    ['no --out: the root', undefined, ''],
    ['a folder inside', 'web/src', 'web/src'],
    ['a folder that climbs back in', 'web/../api', 'api'],
  ])('%s', (_name, out, expected) => {
    expect(resolveOutDir('/p/root', '/p/root', out)).toBe(expected)
  })

  it.each([
    ['a parent folder', '..'],
    ['a sibling', '../other'],
    ['an absolute path outside', '/tmp'],
  ])('refuses %s', (_name, out) => {
    expect(() => resolveOutDir('/p/root', '/p/root', out)).toThrow(/outside the project/)
  })
})

describe('manifestSchema', () => {
  const base = {summary: 's', files: [{from: 'a.mustache', to: 'a.ts'}]}
  it.each([
    ['an output pattern climbing out', {...base, files: [{from: 'a.mustache', to: '../evil.ts'}]}, /files\.0\.to/],
    ['an absolute output pattern', {...base, files: [{from: 'a.mustache', to: '/etc/cron.d/x'}]}, /files\.0\.to/],
    ['a template file outside its folder', {...base, files: [{from: '../../secret', to: 'a.ts'}]}, /files\.0\.from/],
    [
      'a clash with a case variant',
      {...base, variables: {name: {type: 'identifier', description: 'd'}, nameKebab: {type: 'string', description: 'd'}}},
      /clashes/,
    ],
    ['an enum default outside its values', {...base, variables: {m: {type: 'enum', description: 'd', values: ['a'], default: 'b'}}}, /not one of/],
    ['an invalid pattern', {...base, variables: {r: {type: 'string', description: 'd', pattern: '('}}}, /regular expression/],
    ['an unknown key', {...base, run: 'rm -rf /'}, /run/],
    ['a multi-line summary', {...base, summary: 'a\nb'}, /one line/],
  ])('refuses %s', (_name, manifest, error) => {
    const result = manifestSchema.safeParse(manifest)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('\n')).toMatch(error)
  })
})

describe('resolveVariables', () => {
  const manifest: TemplateManifest = manifestSchema.parse({
    summary: 's',
    variables: {
      name: {type: 'identifier', description: 'the name', required: true},
      route: {type: 'string', description: 'the route', default: '/{{nameKebab}}'},
      debug: {type: 'boolean', description: 'd'},
    },
    files: [{from: 'a', to: 'a'}],
  })

  it('fills defaults from earlier variables and adds case variants', async () => {
    const view = await resolveVariables(manifest, {name: 'user profile'})
    expect(view).toMatchObject({name: 'user profile', namePascal: 'UserProfile', route: '/user-profile', routeKebab: 'user-profile', debug: false})
  })

  it('names every missing variable when nobody can be asked', async () => {
    await expect(resolveVariables(manifest, {})).rejects.toThrow(/missing required variable name[\s\S]*--var name=VALUE/)
  })

  it('asks for missing ones when it can, validating the answer', async () => {
    const asked: string[] = []
    const view = await resolveVariables(manifest, {}, async (name, _spec, check) => {
      asked.push(name, String(check('../x')))
      return 'order item'
    })
    expect(asked).toEqual(['name', expect.stringContaining('not a name')])
    expect(view.nameCamel).toBe('orderItem')
  })

  it.each([
    ['an unknown variable', {name: 'x', nmae: 'y'}, /unknown variable nmae — this template takes: name, route, debug/],
    ['a case variant set directly', {name: 'x', nameKebab: '../..'}, /unknown variable nameKebab/],
  ])('refuses %s', async (_name, given, error) => {
    await expect(resolveVariables(manifest, given)).rejects.toThrow(error)
  })

  it.each([
    ['key=value', ['a=1', 'b=x=y'], {a: '1', b: 'x=y'}],
    ['an empty value', ['a='], {a: ''}],
  ])('parseVarFlags: %s', (_name, flags, expected) => {
    expect(parseVarFlags(flags)).toEqual(expected)
  })
  it.each([
    ['no =', ['a']],
    ['no key', ['=1']],
    ['twice', ['a=1', 'a=2']],
  ])('parseVarFlags refuses %s', (_name, flags) => {
    expect(() => parseVarFlags(flags)).toThrow(/--var/)
  })
})

describe('the template catalogue', () => {
  let base: string
  beforeAll(async () => {
    base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'faithh-templates-')))
    const write = async (rel: string, text: string) => {
      await mkdir(path.dirname(path.join(base, rel)), {recursive: true})
      await writeFile(path.join(base, rel), text)
    }
    await write('project/api_endpoint/template.json', JSON.stringify({summary: 'ours', files: [{from: 'a.mustache', to: 'a.ts'}]}))
    await write('project/api_endpoint/a.mustache', 'ours\n')
    await write('project/typo/template.json', JSON.stringify({summary: 'typo', files: [{from: 'a.mustache', to: 'a.ts'}]}))
    await write('project/typo/a.mustache', '{{nmae}}\n')
    await write('project/escape/template.json', JSON.stringify({summary: 'escape', files: [{from: 'link.mustache', to: 'a.ts'}]}))
    await write('secret.txt', 'top secret\n')
    await symlink(path.join(base, 'secret.txt'), path.join(base, 'project/escape/link.mustache'))
  })
  afterAll(() => rm(base, {recursive: true, force: true}))

  it('loads every built-in template cleanly', async () => {
    const {templates, warnings} = await listTemplates([{origin: 'built-in', dir: builtinTemplatesDir()}])
    expect(warnings).toEqual([])
    expect(templates.map((t) => t.name)).toEqual(['api_endpoint', 'cli_command', 'react_component', 'test_function'])
  })

  it('lets a project template override the built-in, and skips broken ones with a reason', async () => {
    const sources: TemplateSource[] = [
      {origin: 'project', dir: path.join(base, 'project')},
      {origin: 'built-in', dir: builtinTemplatesDir()},
    ]
    const {templates, warnings} = await listTemplates(sources)
    const api = templates.find((t) => t.name === 'api_endpoint')!
    expect(api).toMatchObject({origin: 'project', overrides: ['built-in']})
    expect(api.manifest.summary).toBe('ours')
    expect(warnings).toEqual([
      expect.stringMatching(/^skipped template escape \(project\): link\.mustache points outside the template folder/),
      expect.stringMatching(/^skipped template typo \(project\): a\.mustache: \{\{nmae\}\} is not a declared variable/),
    ])
    await expect(loadTemplate('typo', sources)).rejects.toThrow(/template typo \(project\) is broken/)
    await expect(loadTemplate('../secret', sources)).rejects.toThrow(/not a template name/)
    await expect(loadTemplate('nope', sources)).rejects.toThrow(/no template named "nope"/)
  })
})
