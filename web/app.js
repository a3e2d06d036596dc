// The faithh web UI: one page, no framework, no build. It renders the same agent events the terminal
// shows, streamed as Server-Sent Events from POST /api/agent/chat. Everything the model or a tool
// wrote is inserted with textContent, never as HTML.

const token = takeToken()
const $ = (id) => document.getElementById(id)
const ui = {
  messages: $('messages'),
  empty: $('empty'),
  form: $('composer'),
  input: $('message'),
  send: $('send'),
  model: $('model'),
  agentMode: $('agent-mode'),
  useRag: $('use-rag'),
  sessions: $('sessions'),
  newChat: $('new-chat'),
  undo: $('undo'),
  status: $('status'),
  sessionId: $('session-id'),
}

let sessionId = null
let busy = false

/** The token comes in the URL `faithh serve` printed; keep it for this tab only and take it out of the address bar. */
function takeToken() {
  const params = new URLSearchParams(location.search)
  const fromUrl = params.get('token')
  if (fromUrl) {
    sessionStorage.setItem('faithh-token', fromUrl)
    history.replaceState(null, '', location.pathname)
  }
  return fromUrl || sessionStorage.getItem('faithh-token') || ''
}

async function api(path, {method = 'GET', body} = {}) {
  const response = await fetch(path, {
    method,
    headers: {'X-Faithh-Token': token, ...(body ? {'Content-Type': 'application/json'} : {})},
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!response.ok) {
    const detail = await response.json().catch(() => ({}))
    throw new Error(detail.error || `${response.status} ${response.statusText}`)
  }
  return response
}

function el(tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

function scrollDown() {
  ui.messages.scrollTop = ui.messages.scrollHeight
}

function setStatus(text) {
  ui.status.textContent = text
}

// ---- rendering -------------------------------------------------------------------------------

let bubble = null // the assistant message text is streamed into
const cards = new Map() // tool call id -> card
let lastCard = null

function addMessage(role, text) {
  ui.empty.hidden = true
  const node = el('div', `message ${role}`)
  node.append(el('div', 'role', role === 'user' ? 'You' : role === 'assistant' ? 'faithh' : ''), el('div', 'text', text))
  ui.messages.append(node)
  scrollDown()
  return node.querySelector('.text')
}

// Every turn's start carries the same instructions report: say it once per session.
let instructionsNotedFor = null
function noteInstructions(report) {
  instructionsNotedFor = sessionId
  if (report.files.length > 0) addNote(`project instructions: ${report.files.map((file) => file.path).join(', ')} (~${report.tokens} tokens)`)
  if (report.truncated) {
    const what = [...report.files.filter((file) => file.truncated).map((file) => `${file.path} truncated`), ...report.omitted.map((rel) => `${rel} left out`)]
    addNote(`project instructions cut to the ${report.budget}-token budget (instructions.maxTokens): ${what.join(', ')}`, 'error')
  }
  for (const skip of report.skipped) addNote(`project instructions ${skip.path} skipped: ${skip.reason}`, 'error')
}

function addNote(text, kind = 'note') {
  ui.empty.hidden = true
  ui.messages.append(el('div', `note ${kind}`, text))
  scrollDown()
}

function summarizeArgs(args) {
  return Object.entries(args || {})
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      const short = text.replaceAll('\n', '⏎')
      return `${key}=${short.length > 80 ? short.slice(0, 79) + '…' : short}`
    })
    .join('  ')
}

function renderDiff(diff) {
  const pre = el('pre', 'diff')
  for (const line of diff.replace(/\n$/, '').split('\n')) {
    let kind = ''
    if (line.startsWith('+++') || line.startsWith('---')) kind = 'file'
    else if (line.startsWith('+')) kind = 'add'
    else if (line.startsWith('-')) kind = 'del'
    else if (line.startsWith('@@')) kind = 'hunk'
    pre.append(el('span', `line ${kind}`, line + '\n'))
  }
  return pre
}

function collapsible(label, text, open = false) {
  const details = el('details', 'output')
  details.open = open
  details.append(el('summary', '', label), el('pre', '', text))
  return details
}

function addToolCard(event) {
  ui.empty.hidden = true
  const card = el('div', 'tool-card running')
  card.dataset.tool = event.name
  const head = el('div', 'tool-head')
  head.append(el('span', 'tool-state', '…'), el('span', 'tool-name', event.name), el('span', 'tool-args', summarizeArgs(event.arguments)))
  card.append(head)
  if (Object.keys(event.arguments || {}).length > 0) card.append(collapsible('arguments', JSON.stringify(event.arguments, null, 2)))
  ui.messages.append(card)
  cards.set(event.id, card)
  lastCard = card
  bubble = null
  scrollDown()
  return card
}

// Why a tool call failed (the event's `kind`), as src/render/terminal.ts words it; a plain failure has no label.
const FAILURE_LABELS = {invalid_arguments: 'invalid call', not_found: 'not found', denied: 'denied', needs_approval: 'needs approval', timeout: 'timed out'}

function finishToolCard(event) {
  const card = cards.get(event.id) || addToolCard({id: event.id, name: event.name, arguments: {}})
  card.classList.remove('running')
  card.classList.add(event.ok ? 'ok' : 'failed')
  if (event.kind) card.dataset.kind = event.kind
  card.querySelector('.tool-state').textContent = event.ok ? '✓' : '✗'
  const label = FAILURE_LABELS[event.kind]
  if (label) card.querySelector('.tool-head').append(el('span', 'tool-kind', label))
  card.append(el('div', 'tool-result', event.summary || event.output.split('\n', 1)[0]))
  if (event.output.includes('\n')) card.append(collapsible(`result (${event.output.split('\n').length} lines)`, event.output))
  scrollDown()
}

function describeRequest(request) {
  if (request.kind === 'write') return `${request.tool} wants to ${request.created ? 'create' : 'change'} ${request.rel}`
  if (request.kind === 'command') return `${request.tool} wants to run: ${request.command}`
  if (request.kind === 'tool') return `the agent wants to call ${request.tool}`
  return `${request.tool} wants to read ${request.path}`
}

function addConfirmation(event) {
  const {request} = event
  const host = lastCard?.classList.contains('running') ? lastCard : addToolCard({id: event.id, name: request.tool, arguments: {}})
  const box = el('div', 'confirm')
  box.append(el('div', 'confirm-title', describeRequest(request)))
  if (request.kind === 'write') box.append(renderDiff(request.diff))
  if (request.kind === 'command') box.append(el('pre', 'command', request.command), el('div', 'hint', `in ${request.cwd} — ${request.reason}`))
  if (request.kind === 'read') box.append(el('div', 'hint', request.reason))
  if (request.kind === 'tool') box.append(el('pre', 'command', JSON.stringify(request.arguments, null, 2)), el('div', 'hint', request.reason))
  const reason = el('input', 'reason')
  reason.placeholder = 'Why not? (sent to the model; optional)'
  const buttons = el('div', 'buttons')
  const choices = [
    ['approve', 'Approve', {approved: true, remember: false}],
    ['always', request.kind === 'command' ? 'Always allow this command' : `Always allow ${request.tool}`, {approved: true, remember: true}],
    ['deny', 'Deny', {approved: false}],
  ]
  for (const [key, label, answer] of choices) {
    const button = el('button', `answer ${key}`, label)
    button.type = 'button'
    button.dataset.answer = key
    button.addEventListener('click', async () => {
      for (const b of buttons.querySelectorAll('button')) b.disabled = true
      reason.disabled = true
      const body = answer.approved ? answer : {approved: false, reason: reason.value.trim() || undefined}
      try {
        await api(`/api/confirm/${encodeURIComponent(event.id)}`, {method: 'POST', body})
        box.classList.add(answer.approved ? 'approved' : 'denied')
        box.append(el('div', 'verdict', answer.approved ? 'approved' : 'denied'))
      } catch (error) {
        box.append(el('div', 'verdict error', error.message))
      }
    })
    buttons.append(button)
  }
  buttons.append(reason)
  box.append(buttons)
  host.append(box)
  setStatus('waiting for your approval')
  scrollDown()
}

function onEvent(event) {
  switch (event.type) {
    case 'session':
      sessionId = event.id
      ui.sessionId.textContent = `session ${event.id}`
      break
    case 'start':
      setStatus(`${event.model} is working…`)
      if (event.instructions && instructionsNotedFor !== sessionId) noteInstructions(event.instructions)
      break
    case 'text':
      if (!bubble) bubble = addMessage('assistant', '')
      bubble.textContent += event.delta
      scrollDown()
      break
    case 'tool_call':
      addToolCard(event)
      setStatus(`running ${event.name}…`)
      break
    case 'confirm':
      addConfirmation(event)
      break
    case 'tool_result':
      finishToolCard(event)
      setStatus('thinking…')
      break
    case 'usage':
      ui.status.dataset.usage = `${event.promptTokens} / ${event.numCtx} tokens`
      break
    case 'compacted':
    case 'notice':
      addNote(event.message)
      break
    case 'final':
      if (!bubble && event.text) addMessage('assistant', event.text)
      bubble = null
      break
    case 'error':
      addNote(event.message, 'error')
      bubble = null
      break
  }
}

// ---- talking to the server -------------------------------------------------------------------

async function send(message) {
  busy = true
  ui.send.disabled = true
  addMessage('user', message)
  bubble = null
  setStatus('sending…')
  try {
    const response = await api('/api/agent/chat', {
      method: 'POST',
      body: {message, agent_mode: ui.agentMode.checked, use_rag: ui.useRag.checked, session_id: sessionId, model: ui.model.value || undefined},
    })
    const reader = response.body.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    for (;;) {
      const {value, done} = await reader.read()
      if (done) break
      buffer += decoder.decode(value, {stream: true})
      let end
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const data = frame
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n')
        if (data) onEvent(JSON.parse(data))
      }
    }
    setStatus(ui.status.dataset.usage ? `done — prompt ${ui.status.dataset.usage}` : 'done')
  } catch (error) {
    addNote(error.message, 'error')
    setStatus('error')
  } finally {
    busy = false
    ui.send.disabled = false
    ui.input.focus()
    loadSessions()
  }
}

async function loadModels() {
  try {
    const {models, current} = await (await api('/api/models')).json()
    ui.model.replaceChildren(...models.map((m) => Object.assign(el('option', '', m.name), {value: m.name, selected: m.name === current})))
    if (!models.some((m) => m.name === current)) ui.model.prepend(Object.assign(el('option', '', `${current} (not pulled)`), {value: current, selected: true}))
  } catch (error) {
    addNote(`cannot list models: ${error.message}`, 'error')
  }
}

async function loadSessions() {
  try {
    const {sessions} = await (await api('/api/sessions')).json()
    ui.sessions.replaceChildren(
      ...sessions.map((s) => {
        const item = el('li', s.id === sessionId ? 'current' : '')
        const button = el('button', 'session', s.title || '(empty)')
        button.type = 'button'
        button.title = `${s.id} — ${s.turns} turns, ${s.model}`
        button.addEventListener('click', () => openSession(s.id))
        item.append(button, el('span', 'when', s.updatedAt.slice(0, 16).replace('T', ' ')))
        return item
      }),
    )
  } catch (error) {
    setStatus(`cannot list sessions: ${error.message}`)
  }
}

function clearChat() {
  ui.messages.replaceChildren(ui.empty)
  ui.empty.hidden = false
  cards.clear()
  lastCard = null
  bubble = null
}

/** Shows a saved session as it went: messages, tool calls and their results. */
async function openSession(id) {
  if (busy) return
  const session = await (await api(`/api/sessions/${encodeURIComponent(id)}`)).json()
  clearChat()
  sessionId = session.id
  ui.sessionId.textContent = `session ${session.id}`
  const pending = []
  let step = 0
  for (const message of session.messages) {
    if (message.role === 'user' && !message.content.startsWith('<tool_response')) addMessage('user', message.content)
    else if (message.role === 'assistant') {
      if (message.content) addMessage('assistant', message.content)
      for (const call of message.tool_calls || []) {
        const id = `saved_${step++}`
        addToolCard({id, name: call.function.name, arguments: call.function.arguments})
        pending.push(id)
      }
    } else if (message.role === 'tool' || message.content.startsWith('<tool_response')) {
      const id = pending.shift()
      if (id) finishToolCard({id, name: message.tool_name || 'tool', ok: true, output: message.content})
    }
  }
  bubble = null
  loadSessions()
}

ui.form.addEventListener('submit', (event) => {
  event.preventDefault()
  const message = ui.input.value.trim()
  if (!message || busy) return
  ui.input.value = ''
  send(message)
})
ui.input.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault()
    ui.form.requestSubmit()
  }
})
ui.newChat.addEventListener('click', () => {
  if (busy) return
  sessionId = null
  ui.sessionId.textContent = ''
  clearChat()
  loadSessions()
})
ui.undo.addEventListener('click', async () => {
  if (!sessionId || busy) return addNote('nothing to undo in this conversation yet')
  try {
    const report = await (await api(`/api/sessions/${encodeURIComponent(sessionId)}/undo`, {method: 'POST', body: {}})).json()
    if (!report.run) addNote('nothing to undo in this session')
    else addNote(`undo: ${report.files.map((f) => `${f.action} ${f.rel}${f.reason ? ` (${f.reason})` : ''}`).join(', ') || 'no files'}`)
  } catch (error) {
    addNote(error.message, 'error')
  }
})

if (!token) {
  addNote('No token: open the URL that `faithh serve` printed (it ends in ?token=…).', 'error')
  ui.send.disabled = true
} else {
  loadModels()
  loadSessions()
}
