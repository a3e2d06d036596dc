/** Minimal ANSI styling; off when the stream is not a terminal or NO_COLOR is set. */
export interface Style {
  dim(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  cyan(text: string): string
  bold(text: string): string
}

/** No styling: for text that goes into JSON or files. */
export const plainStyle: Style = {dim: String, red: String, green: String, yellow: String, cyan: String, bold: String}

export function styleFor(stream: NodeJS.WriteStream): Style {
  const enabled = Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== 'dumb'
  const wrap = (open: number, close: number) => (text: string) => (enabled ? `\u001B[${open}m${text}\u001B[${close}m` : text)
  return {
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    bold: wrap(1, 22),
  }
}
