import {z as otherZ} from 'zod/v3'
import {describe, expect, it} from 'vitest'

import {discoverPlugins} from '../../../src/core/plugins/discover.js'
import {toolProblem} from '../../../src/core/plugins/load-tools.js'
import {pluginApi} from '../../../src/index.js'

const {z, ok} = pluginApi
const good = {name: 'git_status', description: 'Show status.', readOnly: true, schema: z.object({}), execute: async () => ok('')}

describe('toolProblem: what a plugin hands us is checked before the model sees it', () => {
  it.each([
    ['not an object', 'git_status', /not an object/],
    ['null', null, /not an object/],
    ['a name with spaces', {...good, name: 'git status'}, /name must be/],
    ['a name with a quote', {...good, name: 'x"}'}, /name must be/],
    ['an overlong name', {...good, name: 'a'.repeat(65)}, /name must be/],
    ['no description', {...good, description: ' '}, /description must be/],
    ['a description that would bloat every request', {...good, description: 'x'.repeat(1025)}, /longer than 1024/],
    ['readOnly missing', {...good, readOnly: undefined}, /readOnly/],
    ['execute not a function', {...good, execute: 'rm -rf /'}, /execute must be a function/],
    ['a plain object as schema', {...good, schema: {type: 'object'}}, /zod 4 object schema/],
    ['a zod 4 string as schema', {...good, schema: z.string()}, /zod 4 object schema/],
    ['a zod 3 schema', {...good, schema: otherZ.object({})}, /zod 4 object schema/],
  ])('refuses %s', (_name, value, problem) => {
    expect(toolProblem(value)).toMatch(problem)
  })

  it('accepts a well-formed tool', () => {
    expect(toolProblem(good)).toBeUndefined()
  })
})

describe('discoverPlugins', () => {
  const pkg = (name: string, faithh: unknown) => ({name, root: `/plugins/${name}`, pjson: {name, faithh}})
  it('resolves declared paths inside the package and ignores packages without a faithh key', () => {
    const {plugins, warnings} = discoverPlugins([
      {name: '@oclif/plugin-plugins', root: '/x', pjson: {name: '@oclif/plugin-plugins'}},
      pkg('p', {tools: './dist/tools.js', templates: 'templates'}),
    ])
    expect(warnings).toEqual([])
    expect(plugins).toEqual([{name: 'p', root: '/plugins/p', toolsModule: '/plugins/p/dist/tools.js', templatesDir: '/plugins/p/templates'}])
  })

  it.each([
    ['a number for tools', {tools: 42}, /bad "faithh" entry.*faithh\.tools/],
    ['an unknown key', {hooks: './x.js'}, /bad "faithh" entry/],
    ['not an object', 'tools.js', /bad "faithh" entry/],
    ['tools outside the package', {tools: '../other/tools.js'}, /faithh\.tools "\.\.\/other\/tools\.js" points outside/],
    ['templates at an absolute path', {templates: '/etc'}, /faithh\.templates "\/etc" points outside/],
  ])('skips a plugin with %s, with a warning naming it', (_name, faithh, warning) => {
    const {plugins, warnings} = discoverPlugins([pkg('bad', faithh), pkg('good', {})])
    expect(plugins.map((p) => p.name)).toEqual(['good'])
    expect(warnings).toEqual([expect.stringMatching(new RegExp(`^plugin bad skipped: ${warning.source}`))])
  })
})
