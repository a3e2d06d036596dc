/**
 * Decides how much of a streaming reply can be shown before we know whether it holds a tool call
 * written as text. Everything before the first thing that could open a call is safe; from there on
 * we hold back until the reply is complete and parsed, so users never see raw call syntax flash by.
 * The openers are a superset of where parseToolCalls can find a call, in every format it reads.
 */
const CALL_OPENERS = [
  '<tool_call', // Hermes/Qwen, Qwen3-Coder
  '<TOOL_CALL',
  '<function', // <function=…>, <function name=…>, <function_call>, <function_calls>
  '<tools',
  '<invoke', // MiniMax, DeepSeek V3.2
  '<minimax:',
  '<start_function_call>', // FunctionGemma
  '<|', // every special token: python_tag, python_start, tool_call_start, START_ACTION, Kimi, harmony, Gemma 4…
  '<｜', // DeepSeek's tokens, DSML
  '[TOOL_CALLS]', // Mistral
  'functools[', // Phi-4
  'to=functions.', // GPT-OSS harmony, also with its tokens stripped…
  'commentary to=', // …and then its channel word goes with the call
  'analysis to=',
  '```',
  '{"',
  "{'",
]
// These count only at the start of a line: inline braces and `>>>` in prose are common and harmless.
const LINE_OPENERS = ['{', '[', '>>>', 'call:']

export class TextGate {
  private content = ''
  private shown = 0
  private held = false
  private readonly anywhere: string[]
  private readonly atLineStart: string[]
  /** Longest opener minus one: a chunk may end in the middle of one ("<tool_ca"). */
  private readonly holdBack: number

  /**
   * `toolNames`: pythonic calls open with them too — a line starting `read_file(`, a list `[read_file(`,
   * `: read_file(` ending a sentence — and so does a name alone on a line before its JSON (Functionary).
   */
  constructor(toolNames: readonly string[] = []) {
    this.anywhere = [...CALL_OPENERS, ...toolNames.flatMap((name) => [`[${name}(`, `: ${name}(`, `:${name}(`])]
    this.atLineStart = [...LINE_OPENERS, ...toolNames.flatMap((name) => [`${name}(`, `${name}\n`])]
    this.holdBack = Math.max(...this.anywhere.map((o) => o.length), ...this.atLineStart.map((o) => o.length)) - 1
  }

  /** Adds a delta; returns the part that is safe to show now. */
  push(delta: string): string {
    this.content += delta
    if (this.held) return ''
    const opener = this.firstOpener()
    if (opener !== -1) {
      this.held = true
      return this.take(opener)
    }

    return this.take(Math.max(this.shown, this.content.length - this.holdBack))
  }

  get text(): string {
    return this.content
  }

  /** What has been shown so far. */
  get shownText(): string {
    return this.content.slice(0, this.shown)
  }

  private take(end: number): string {
    const out = this.content.slice(this.shown, end)
    this.shown = end
    return out
  }

  private firstOpener(): number {
    const text = this.content
    let best = -1
    const consider = (index: number) => {
      if (index !== -1 && (best === -1 || index < best)) best = index
    }

    for (const opener of this.anywhere) consider(text.indexOf(opener, this.shown))
    for (const opener of this.atLineStart) {
      let index = text.indexOf(opener, this.shown)
      while (index !== -1 && !atLineStart(text, index)) index = text.indexOf(opener, index + 1)
      consider(index)
    }

    return best
  }
}

function atLineStart(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const ch = text[i]
    if (ch === '\n') return true
    if (ch !== ' ' && ch !== '\t') return false
  }

  return true
}
