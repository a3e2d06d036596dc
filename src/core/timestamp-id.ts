import {randomBytes} from 'node:crypto'

/** Ids for saved plans and sessions: sortable by time and short enough to type, e.g. 20260101-093012-7f3a. */
export function timestampId(now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, '')
    .replaceAll(/[-:]/g, '')
    .replace('T', '-')
  return `${stamp}-${randomBytes(2).toString('hex')}`
}
