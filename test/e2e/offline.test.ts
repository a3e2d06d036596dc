import {execa} from 'execa'
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {CLI_BIN, requireBuild, type CliResult} from '../support/cli.js'
import {leavingTheMachine, parseStraceLog, type TracedAddress} from '../support/connections.js'
import {startFakeOllama, type ChatRequestBody, type FakeOllama, type FakeReply} from '../support/fake-ollama.js'
import {makeProject, type Fixture} from '../support/fixture.js'
import {needsSandbox, needsStrace, strace} from '../support/requirements.js'
import {streamChat} from '../support/serve.js'

/**
 * Nothing leaves the machine: every command runs under `strace -f` (following every child: the
 * embedded Chroma, a sandboxed command, a git), and every socket address handed to connect, sendto
 * or sendmsg must be a unix socket, netlink, or loopback — the configured Ollama (the fake one, on
 * 127.0.0.1) and the embedded Chroma live there. A DNS lookup would show as a UDP connect to the
 * resolver, and fail this.
 */

const MATH = 'export function add(a, b) {\n  return a - b\n}\n'
const TEST = 'import {add} from "./math.js"\nif (add(2, 3) !== 5) { console.error("add(2, 3) returned", add(2, 3)); process.exit(1) }\nconsole.log("ok")\n'
const FIX: FakeReply = {tool_calls: [{name: 'edit_file', arguments: {path: 'math.js', old_text: 'return a - b', new_text: 'return a + b'}}]}
const PLAN = {steps: [{title: 'Fix add', change: 'add() must add.', files: ['math.js']}]}

let ollama: FakeOllama
let project: Fixture
let logs: string

beforeAll(async () => {
  requireBuild()
  ollama = await startFakeOllama()
  project = await makeProject({'math.js': MATH, 'test.js': TEST, 'package.json': '{"type": "module"}\n', 'README.md': '# demo\nAdds numbers.\n'})
  logs = await mkdtemp(path.join(tmpdir(), 'faithh-strace-'))
})

afterAll(async () => {
  await ollama?.close()
  await project?.cleanup()
  if (logs) await rm(logs, {recursive: true, force: true})
})

const TRACE = ['-f', '-qq', '-e', 'trace=connect,sendto,sendmsg']
const traceable = needsStrace('tracing what every command connects to')
const sandboxed = traceable && needsSandbox('tracing a sandboxed command (run, plan --verify)')
const env = () => ({NO_COLOR: '1', FAITHH_MODEL: undefined, OLLAMA_HOST: ollama.url, CHROMA_URL: undefined})

async function traced(name: string, args: string[]): Promise<CliResult & {addresses: TracedAddress[]}> {
  const log = path.join(logs, `${name}.log`)
  const result = await execa(strace!, [...TRACE, '-o', log, 'node', CLI_BIN, ...args], {
    cwd: project.root,
    env: env(),
    extendEnv: true,
    stdin: 'ignore',
    reject: false,
    timeout: 120_000,
  })
  return {exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr, addresses: parseStraceLog(await readFile(log, 'utf8'))}
}

const ollamaPort = () => Number(new URL(ollama.url).port)

/** Planning requests carry `format`: they get the plan; the step gets the fix, then a summary. */
function planModel(request: ChatRequestBody): FakeReply {
  if (request.format) return {content: JSON.stringify(PLAN)}
  return request.messages.some((m) => m.role === 'assistant') ? {content: 'Fixed add.'} : FIX
}

describe('the connection detector', () => {
  it('reads every address strace prints, and flags those that leave the machine', () => {
    const log = [
      '101 connect(19, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)',
      '101 connect(20, {sa_family=AF_INET, sin_port=htons(11434), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
      '102 connect(21, {sa_family=AF_INET6, sin6_port=htons(8000), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, 28 <unfinished ...>',
      '102 <... connect resumed>) = -1 ECONNREFUSED (Connection refused)',
      '103 connect(22, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::ffff:127.0.0.1", &sin6_addr), sin6_scope_id=0}, 28) = 0',
      '104 connect(23, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}, 16) = 0',
      '104 sendmsg(24, {msg_name={sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("192.0.2.7")}, msg_namelen=16, msg_iov=[{iov_base="x", iov_len=1}], msg_iovlen=1}, 0) = 1',
      '105 connect(25, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, 28) = -1 ENETUNREACH',
      '105 sendto(26, "\\24\\0\\0\\0", 20, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 20',
      '106 connect(27, {sa_family=AF_UNSPEC, sa_data="\\0\\0\\0\\0"}, 16) = 0',
      '107 connect(28, {sa_family=AF_PACKET, sll_protocol=htons(ETH_P_ALL)}, 20) = 0',
      '108 connect(29, {sa_family=AF_INET, sin_port=htons(80), sin_addr=<unprintable>}, 16) = 0',
    ].join('\n')
    const addresses = parseStraceLog(log)
    expect(addresses).toHaveLength(12 - 1)
    expect(addresses.find((entry) => entry.pid === 102)?.line).toMatch(/<unfinished \.\.\.> … \) = -1 ECONNREFUSED/)
    expect(leavingTheMachine(addresses).map((entry) => `${entry.family} ${entry.address ?? '?'}:${entry.port ?? '?'}`)).toEqual([
      'AF_INET 10.0.0.53:53',
      'AF_INET 192.0.2.7:443',
      'AF_INET6 2001:db8::1:443',
      'AF_PACKET ?:?',
      'AF_INET ?:80',
    ])
  })

  it.skipIf(!traceable)('sees a real process reach out, through a DNS lookup too', async () => {
    const log = path.join(logs, 'control.log')
    const script = "require('net').connect(9, '192.0.2.1').on('error', () => {}); require('dns').lookup('faithh.invalid', () => {}); setTimeout(() => {}, 300)"
    await execa(strace!, [...TRACE, '-o', log, 'node', '-e', script], {reject: false})
    const leaving = leavingTheMachine(parseStraceLog(await readFile(log, 'utf8')))
    expect(leaving.map((entry) => entry.address)).toContain('192.0.2.1')
    expect(leaving.some((entry) => entry.port === 53)).toBe(true)
  })
})

describe.skipIf(!traceable)('nothing leaves the machine', () => {
  const expectOffline = (result: CliResult & {addresses: TracedAddress[]}) => {
    expect(leavingTheMachine(result.addresses).map((entry) => entry.line)).toEqual([])
    // The trace saw the traffic it should: faithh talking to the (fake) Ollama.
    expect(result.addresses.some((entry) => entry.port === ollamaPort())).toBe(true)
  }

  it('index (with the embedded Chroma) and search', async () => {
    const index = await traced('index', ['index', '--json'])
    expect(index.exitCode, index.stderr).toBe(0)
    expect(JSON.parse(index.stdout).vectors).toMatchObject({enabled: true})
    expectOffline(index)

    const search = await traced('search', ['search', 'add numbers', '--json'])
    expect(search.exitCode, search.stderr).toBe(0)
    expect(JSON.parse(search.stdout).mode).toBe('hybrid')
    expectOffline(search)
  })

  it('ask', async () => {
    ollama.script([{tool_calls: [{name: 'read_file', arguments: {path: 'math.js'}}]}, {content: 'add() subtracts.'}])
    const ask = await traced('ask', ['ask', 'what does add do?'])
    expect(ask.exitCode, ask.stderr).toBe(0)
    expectOffline(ask)
  })

  it('edit', async () => {
    ollama.script([FIX, {content: 'Fixed.'}])
    const edit = await traced('edit', ['edit', 'math.js', '-i', 'make add add', '--yes'])
    expect(edit.exitCode, edit.stderr).toBe(0)
    expectOffline(edit)
    await writeFile(path.join(project.root, 'math.js'), MATH)
  })

  it.skipIf(!sandboxed)('run (the command in the sandbox, followed too)', async () => {
    const run = await traced('run', ['run', "node test.js; node -e \"require('net').connect(9, '192.0.2.1').on('error', () => {})\"", '--yes'])
    expect(run.stderr).toContain('add(2, 3) returned -1')
    // The sandboxed command did try: its connect is in the trace, and failed inside its own network namespace.
    expect(run.addresses.some((entry) => entry.address === '192.0.2.1')).toBe(true)
    expect(leavingTheMachine(run.addresses).every((entry) => entry.address === '192.0.2.1' && /ENETUNREACH/.test(entry.line))).toBe(true)
  })

  it.skipIf(!sandboxed)('plan, with --verify run in the sandbox', async () => {
    ollama.script(planModel)
    const plan = await traced('plan', ['plan', 'make add add', '--yes', '--json', '--allow-dirty', '--verify', 'node test.js'])
    expect(plan.exitCode, plan.stderr).toBe(0)
    expect(JSON.parse(plan.stdout)).toMatchObject({status: 'done', sandbox: {enabled: true}})
    expectOffline(plan)
  })

  it('gen, with the model completing the code', async () => {
    ollama.script([{content: 'Nothing to add.'}])
    const gen = await traced('gen', ['gen', 'test_function', '--var', 'name=add', '--ai', 'cover negative numbers', '--yes', '--json'])
    expect(gen.exitCode, gen.stderr).toBe(0)
    expectOffline(gen)
  })

  it('serve, through a chat turn', async () => {
    ollama.script([{content: 'Hello from the fake model.'}])
    const log = path.join(logs, 'serve.log')
    const child = execa(strace!, [...TRACE, '-o', log, 'node', CLI_BIN, 'serve', '--port', '0'], {
      cwd: project.root,
      env: env(),
      extendEnv: true,
      stdin: 'ignore',
      reject: false,
    })
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    await expect.poll(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.test(output), {timeout: 30_000}).toBe(true)
    const [, origin, token] = /(http:\/\/127\.0\.0\.1:\d+)\/\?token=([\w-]+)/.exec(output)!
    const {events} = await streamChat({origin: origin!, token: token!}, {message: 'hello', agent_mode: true, use_rag: false})
    expect(events.at(-1)).toMatchObject({type: 'final', text: 'Hello from the fake model.'})

    // strace's own child is faithh: stop it as a user would, and strace ends with it.
    const faithh = Number((await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8')).trim().split(/\s+/)[0])
    process.kill(faithh, 'SIGINT')
    await child
    const addresses = parseStraceLog(await readFile(log, 'utf8'))
    expectOffline({exitCode: 0, stdout: '', stderr: '', addresses})
  })
})
