import {describe, expect, it} from 'vitest'

import {listeningLoopbackPorts} from '../../../src/core/sandbox/loopback-bridge.js'

const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n'
const row = (local: string, state: string, inode: string) =>
  `   0: ${local} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0 100 0 0 10 0\n`

describe('listeningLoopbackPorts', () => {
  it('finds listeners on loopback and wildcard addresses, v4 and v6, and nothing else', () => {
    const tcp =
      header +
      row('0100007F:1F90', '0A', '11') + // 127.0.0.1:8080 listening
      row('00000000:0016', '0A', '12') + // 0.0.0.0:22
      row('0A00000A:0050', '0A', '13') + // 10.0.0.10:80: another interface
      row('0100007F:A000', '01', '14') // an established connection
    const tcp6 =
      header +
      row('00000000000000000000000001000000:1538', '0A', '21') + // [::1]:5432
      row('0000000000000000FFFF00000100007F:18EB', '0A', '22') + // [::ffff:127.0.0.1]:6379
      row('20010DB8000000000000000000000001:01BB', '0A', '23') // 2001:db8::1:443
    expect(listeningLoopbackPorts(tcp, tcp6)).toEqual([
      {port: 22, host: '127.0.0.1'},
      {port: 5432, host: '::1'},
      {port: 6379, host: '127.0.0.1'},
      {port: 8080, host: '127.0.0.1'},
    ])
  })

  it("leaves out faithh's own listeners", () => {
    expect(listeningLoopbackPorts(header + row('0100007F:1F90', '0A', '11'), '', new Set(['11']))).toEqual([])
  })
})
