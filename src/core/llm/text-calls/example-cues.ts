/**
 * Call syntax shown as an example inside an explanation is not a call. This looks at the sentence
 * that introduces a call for the words people use to introduce an example, and at the one that
 * follows it for a conditional ("This would…"). It applies to every form, markers included:
 * "to call a tool, write <tool_call>…</tool_call>" explains, it does not call.
 */
const INTRODUCES_EXAMPLE = new RegExp(
  [
    String.raw`\b(?:for example|for instance|e\.g\.|(?:here(?:'s| is)|as|take) an example|example (?:of|call|usage|request|output|response)|examples?\s*:)`,
    String.raw`\b(?:would look like|looks? like this|looks? like\s*:|like this\s*:|like so\s*:|would be\s*:|(?:the|this) syntax|(?:the|this|that) format (?:is|looks)|in (?:the|this) format|format\s*:\s*$|usage\s*:)`,
    String.raw`\b(?:you(?:'d| (?:can|could|would|should|might|may))|one (?:can|could|would)) (?:call|invoke|use|write|send|output|emit|respond|reply)\b`,
    String.raw`\bto (?:call|invoke|use) (?:a|the|this|any|one) (?:tool|function)`,
    String.raw`\b(?:respond|reply|answer) with (?:(?:a|an|the following|this)\s+)?(?:json|call|tool call|function call|object|block)`,
    String.raw`\b(?:model|assistant|agent|llm|it|they) (?:would|will|should|might) (?:respond|reply|output|emit|write|send|return)\b`,
    String.raw`\bsample (?:output|call|request|response|reply)\b|(?:^|\n)[ \t]*(?:#+[ \t]*)?(?:an? )?examples?[ \t]*:?[ \t]*(?:\n|$)`,
  ].join('|'),
  'i',
)
// Right before the call, on its line: "a JSON object such as {…}", "e.g. [f(x=1)]".
const JUST_BEFORE = /\b(?:such as|like|e\.g\.?|i\.e\.?|for example|for instance)[\s:,]*$/i
const FOLLOWS_EXAMPLE = /^[ \t]*[,.]?[ \t]*(?:\n[ \t]*)?(?:and )?(?:this|that|which|it|the (?:client|system|agent|runtime|tool))\s+would\b/i
const CONTEXT = 300

/** `floor`: where the previous call ended; a call is not the introduction of the next one. */
export function looksLikeExample(s: string, start: number, end: number, floor = 0): boolean {
  const line = s.slice(Math.max(floor, s.lastIndexOf('\n', start - 1) + 1, start - 60), start)
  return JUST_BEFORE.test(line) || INTRODUCES_EXAMPLE.test(introduction(s, start, floor)) || FOLLOWS_EXAMPLE.test(s.slice(end, end + 120))
}

/** The paragraph before `start`, or the last line of the previous one when `start` opens a paragraph. */
function introduction(s: string, start: number, floor: number): string {
  const before = s.slice(Math.max(floor, start - CONTEXT), start)
  const paragraphs = before.split(/\n[ \t]*\n/)
  const current = paragraphs.at(-1) ?? ''
  if (current.trim() !== '') return current
  const previous = (paragraphs.at(-2) ?? '').trimEnd()
  return previous.slice(previous.lastIndexOf('\n') + 1)
}
