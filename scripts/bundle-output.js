// The last step of scripts/bundle.js for start.cjs and the command bundles (run/*.cjs): esbuild's output made into the
// file boot loads (see BUNDLE_HEAD in src/cli/code-cache.ts), with its source map kept true.
import {parse} from 'acorn'

import {BUNDLE_CALL, BUNDLE_HEAD} from '../dist/cli/code-cache.js'

/**
 * `code` and its source map (esbuild's), as boot loads them:
 *  - every `import()` calls the module function's `__faithhImport` instead (see BUNDLE_HEAD). Found
 *    by parsing, not by searching the text, where "import(" also occurs in strings;
 *  - in ASCII: a bundle in ASCII loads as a one-byte string (boot reads it as latin1), half the
 *    memory of the two-byte string that one other character makes of all of it. esbuild escapes
 *    every such character except in regular expression literals (template literals are lowered to
 *    strings for this: see bundle.js), where `\uXXXX` (a surrogate pair above U+FFFF) means the same
 *    character whatever the flags; an escaped one (`\‘`, an identity escape) is that character too,
 *    so its backslash goes;
 *  - as the module function, called at once for `require`, its head on a line of its own;
 *  - the source map moved along: a line down, and columns after each edit by what the edit added,
 *    so that DEBUG=faithh* stack traces (boot enables source maps then) point into src/.
 */
export function finishBundle(code, map, mapFile) {
  const edits = []
  const visit = (node) => {
    if (node.type === 'ImportExpression') edits.push({start: node.start, end: node.start + 'import'.length, text: '__faithhImport'})
    for (const value of Object.values(node)) {
      for (const child of Array.isArray(value) ? value : [value]) if (typeof child?.type === 'string') visit(child)
    }
  }
  visit(parse(code, {ecmaVersion: 'latest', sourceType: 'script'}))
  for (const match of code.matchAll(/(\\*)([^\0-\x7f])/gu)) {
    const [, slashes, char] = match
    const escaped = slashes.length % 2 === 1
    const units = char
      .split('')
      .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`)
      .join('')
    edits.push({start: match.index + slashes.length - (escaped ? 1 : 0), end: match.index + match[0].length, text: units})
  }

  edits.sort((a, b) => a.start - b.start)
  const lineStarts = [0]
  for (let i = code.indexOf('\n'); i !== -1; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1)
  const shifts = new Map()
  let out = ''
  let at = 0
  for (const edit of edits) {
    if (edit.start < at) throw new Error(`overlapping edits at offset ${edit.start}`)
    out += code.slice(at, edit.start) + edit.text
    at = edit.end
    const line = lineIndex(lineStarts, edit.start)
    const list = shifts.get(line) ?? []
    list.push([edit.start - lineStarts[line], edit.text.length - (edit.end - edit.start)])
    shifts.set(line, list)
  }

  out += code.slice(at)
  const finished = `${BUNDLE_HEAD}${out}\n//# sourceMappingURL=${mapFile}\n})${BUNDLE_CALL}`
  // BUNDLE_HEAD ends its own line: the code starts one line down.
  const movedMap = {...map, mappings: ';' + shiftColumns(map.mappings, shifts)}
  return {code: finished, map: movedMap}
}

function lineIndex(lineStarts, offset) {
  let low = 0
  let high = lineStarts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (lineStarts[middle] <= offset) low = middle
    else high = middle - 1
  }

  return low
}

/** Generated columns after an edit's start move by what it added; nothing else in a mapping changes. */
function shiftColumns(mappings, shifts) {
  return mappings
    .split(';')
    .map((line, index) => {
      const lineShifts = shifts.get(index)
      if (!lineShifts || line === '') return line
      let column = 0
      let movedBefore = 0
      return line
        .split(',')
        .map((segment) => {
          const fields = decodeVlq(segment)
          column += fields[0]
          let moved = column
          for (const [start, delta] of lineShifts) if (start < column) moved += delta
          fields[0] = moved - movedBefore
          movedBefore = moved
          return encodeVlq(fields)
        })
        .join(',')
    })
    .join(';')
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

function decodeVlq(segment) {
  const values = []
  let value = 0
  let shift = 0
  for (const char of segment) {
    const digit = BASE64.indexOf(char)
    value += (digit & 31) << shift
    if (digit & 32) {
      shift += 5
      continue
    }

    values.push(value & 1 ? -(value >>> 1) : value >>> 1)
    value = 0
    shift = 0
  }

  return values
}

function encodeVlq(values) {
  let out = ''
  for (const value of values) {
    let rest = value < 0 ? (-value << 1) | 1 : value << 1
    do {
      let digit = rest & 31
      rest >>>= 5
      if (rest > 0) digit |= 32
      out += BASE64[digit]
    } while (rest > 0)
  }

  return out
}
