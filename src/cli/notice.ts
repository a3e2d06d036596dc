/** A one-line notice from core (commands are not sandboxed here), on stderr so stdout stays the command's output. */
export function stderrNotice(message: string): void {
  process.stderr.write(`faithh: ${message}\n`)
}
