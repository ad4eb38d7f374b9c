// Each failure found by the adversarial pass, as a regression test of the
// packed package (the layer where the JS values, the shell and the transport
// meet). The input budget and the token policy behind the cycle, size,
// integer-range and token tests are tested natively too (src/limits.rs, src/order/query.rs,
// src/config.rs, src/response.rs).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { importESM } from './install.mjs'
import {
  EMULATOR, CLIENT_ID, ADMIN_TOKEN, PATHS, FIXTURES as F,
  reset, requests, clearRequests, rejectsHError, throwsHError,
} from './emulator.mjs'

const { BaaS } = await importESM()
const { HError } = BaaS

const rejects = (promise, code, message) => rejectsHError(within(promise), code, HError, message)
const throws = (fn, code, message) => throwsHError(fn, code, HError, message)
const initAdmin = (options = {}) => BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN, ...options })
const sent = async () => (await requests()).filter(r => r.path.startsWith('/hserve/'))
const wxReceiver = (over = {}) => ({ type: 'MERCHANT_ID', account: F.wechatMerchant, amount: 100, description: '分账', ...over })

// A hang guard, not a timing assertion: a call that never settles fails here.
function within(promise, ms = 10_000) {
  let timer
  const guard = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms)
  })
  return Promise.race([promise, guard]).finally(() => clearTimeout(timer))
}

// The module still answers a plain call.
async function stillWorks() {
  await initAdmin()
  const res = await within(new BaaS.Order().limit(1).getOrderList())
  assert.equal(res.status, 200)
}

const unhandled = []
const onUnhandled = e => unhandled.push(e)
before(async () => {
  process.on('unhandledRejection', onUnhandled)
  await reset()
})
after(() => {
  process.off('unhandledRejection', onUnhandled)
})

// A local server that answers every request with `answer(req, body)` and
// records what it got (method, url, body).
async function server(answer) {
  const got = []
  const srv = http.createServer((req, res) => {
    let body = ''
    req.on('data', c => (body += c))
    req.on('end', () => {
      got.push({ method: req.method, url: req.url, body, authorization: req.headers.authorization })
      const [status, headers, text] = answer(req, body)
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(text)
    })
  })
  await new Promise(r => srv.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${srv.address().port}`
  return { url, got, close: () => new Promise(r => srv.close(r)) }
}

test('an object whose 3 keys point back at it is a 605 at once, and the module lives', async () => {
  await initAdmin()
  await clearRequests()
  const o = {}
  o.a = o
  o.b = o
  o.c = o
  await rejects(BaaS.refund(o), 605, 'nested more than 8 levels deep')
  // Breadth without depth: 5,000 keys sharing one object.
  const shared = { x: 1 }
  const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => ['k' + i, shared]))
  await rejects(BaaS.refund(wide), 605, 'data: holds more than 1000 values')
  await rejects(new BaaS.Order().getOrderList(wide), 605, 'params: holds more than 1000 values')
  throws(() => BaaS.setToken(o), 605, 'nested')
  assert.deepEqual(await sent(), [], 'nothing sent')
  await stillWorks()
})

test('a 10 MB string in 300 receivers or 400 filter values is a 605 before it is copied', async () => {
  await initAdmin()
  await clearRequests()
  const big = 'x'.repeat(10 * 1024 * 1024)
  const order = new BaaS.Order()
  const many = Array.from({ length: 300 }, () => wxReceiver({ account: big, description: big }))
  await rejects(order.wechatPay.multiProfitSharing({ trade_no: F.wxShare1, appid: F.appid, receivers: many }), 605, 'receivers: is longer than 100 items')
  const some = Array.from({ length: 50 }, () => wxReceiver({ account: big, description: big }))
  await rejects(order.wechatPay.multiProfitSharing({ trade_no: F.wxShare1, appid: F.appid, receivers: some }), 605, 'account: is longer than 1024 characters')
  await rejects(order.alipay.profitSharing({ trade_no: F.aliShare, receivers: some }), 605, 'account: is longer than 1024 characters')
  const filters = Object.fromEntries(Array.from({ length: 400 }, (_, i) => ['f' + i, big]))
  await rejects(order.getOrderList(filters), 605, 'f0: is longer than 1024 characters')
  // Many strings each under the cap: refused on their total.
  const medium = 'y'.repeat(1000)
  const total = Object.fromEntries(Array.from({ length: 100 }, (_, i) => ['f' + i, medium]))
  await rejects(order.getOrderList(total), 605, 'holds more than 65536 characters')
  assert.deepEqual(await sent(), [], 'nothing sent')
  // Calls that need some memory still work afterwards.
  for (let i = 0; i < 20; i++) await stillWorks()
})

test('a request function that throws or rejects fails the call at once with 600, no unhandled rejection', async () => {
  const cases = {
    'async, rejects': async () => {
      throw new Error('down')
    },
    'sync, throws': () => {
      throw new Error('down')
    },
    'returns a rejected promise after calling fail': o => {
      o.fail({ errMsg: 'request:fail down' })
      return Promise.reject(new Error('down'))
    },
    'returns a promise that rejects late': () => new Promise((_, reject) => setTimeout(() => reject(new Error('down')), 50)),
  }
  for (const [name, request] of Object.entries(cases)) {
    // A long timeout: the call must not wait for it.
    await initAdmin({ request, timeout: 600_000 })
    const e = await rejects(new BaaS.Order().get(F.transactionNo), 600, 'down')
    assert.ok(!/timeout/.test(e.message), name)
    const r = await rejects(BaaS.refund({ order_id: F.orderId, refund_amount: 1 }), 600, 'outcome is unknown')
    assert.ok(r, name)
  }
  await new Promise(r => setTimeout(r, 100)) // let a late rejection surface, if any
  assert.deepEqual(unhandled, [], 'no unhandled rejection')
})

test('a request function may be async, or call back twice or late: the call settles once, with the first answer', async () => {
  await reset()
  const viaFetch = async o => {
    const r = await fetch(o.url, { method: o.method, headers: o.header, body: o.data })
    return { statusCode: r.status, data: await r.text(), header: {} }
  }
  // Async, answering with a wx-style reply instead of calling success.
  await initAdmin({ request: viaFetch })
  assert.equal((await within(new BaaS.Order().get(F.transactionNo))).status, 200)
  // Success, then fail, then success again: the first counts.
  await initAdmin({
    request: o => {
      viaFetch(o).then(r => {
        o.success(r)
        o.fail({ errMsg: 'request:fail late' })
        o.success({ statusCode: 500, data: '{}' })
      })
    },
  })
  assert.equal((await within(new BaaS.Order().get(F.transactionNo))).status, 200)
  // Fail first, then an answer: 600.
  await initAdmin({
    request: o => {
      o.fail({ errMsg: 'request:fail first' })
      viaFetch(o).then(o.success)
    },
  })
  await rejects(new BaaS.Order().get(F.transactionNo), 600, 'first')
  // Called back after the timeout: 601, and the late answer changes nothing.
  let late
  await initAdmin({ timeout: 100, request: o => (late = () => o.success({ statusCode: 200, data: '{}' })) })
  await rejects(new BaaS.Order().get(F.transactionNo), 601)
  late()
  // An answer that cannot be read (a throwing getter) is a 600 too.
  await initAdmin({ request: o => o.success({ get statusCode() { throw new Error('bad answer') } }) })
  await rejects(new BaaS.Order().get(F.transactionNo), 600, 'bad answer')
  await new Promise(r => setTimeout(r, 100))
  assert.deepEqual(unhandled, [], 'no unhandled rejection')
  await stillWorks()
})

test('a 307 to a refund or a 302 to a sharing is an HError, outcome unknown, sent once and not followed', async () => {
  const srv = await server(req =>
    req.url.startsWith('/elsewhere') ? [200, {}, '{"status":"ok"}'] : [req.method === 'POST' && req.url === PATHS.refund ? 307 : 302, { location: '/elsewhere' + req.url }, '{}'],
  )
  try {
    await BaaS.init(CLIENT_ID, { host: srv.url, token: ADMIN_TOKEN })
    await rejects(BaaS.refund({ order_id: F.orderId, refund_amount: 1 }), 307, 'outcome is unknown')
    const order = new BaaS.Order()
    await rejects(order.wechatPay.profitSharing({ trade_no: F.wxShare1, appid: F.appid, receivers: [wxReceiver()] }), 302, 'outcome is unknown')
    await rejects(order.alipay.profitSharing({ trade_no: F.aliShare, receivers: [{ type: 'userId', account: F.alipayUserId, amount: 1, description: 'x' }] }), 302, 'outcome is unknown')
    // A GET is not followed either (the token goes to no other URL); no money, no note.
    const e = await rejects(order.get(F.transactionNo), 302)
    assert.ok(!/outcome/.test(e.message), e.message)
    assert.deepEqual(srv.got.map(r => [r.method, r.url]), [
      ['POST', PATHS.refund],
      ['POST', PATHS.wechatProfitSharing],
      ['POST', PATHS.alipayProfitSharing],
      ['GET', PATHS.order(F.transactionNo)],
    ])
    assert.equal(JSON.parse(srv.got[0].body).order_id, F.orderId)
    // The host `request` path: a 3xx status from it is the same HError.
    await BaaS.init(CLIENT_ID, {
      host: srv.url,
      token: ADMIN_TOKEN,
      request: o => o.success({ statusCode: 307, data: '{}', header: { location: '/elsewhere' } }),
    })
    await rejects(BaaS.refund({ order_id: F.orderId, refund_amount: 1 }), 307, 'outcome is unknown')
  } finally {
    await srv.close()
  }
})

test('a 100 MB memo and a 100 KB or 1 MB token are a 605, nothing sent', async () => {
  await initAdmin()
  await clearRequests()
  await rejects(BaaS.refund({ order_id: F.orderId, memo: 'm'.repeat(100 * 1024 * 1024) }), 605, 'memo: is longer than 1024 characters')
  for (const len of [100 * 1024, 1024 * 1024]) {
    BaaS.setToken(ADMIN_TOKEN)
    throws(() => BaaS.setToken('t'.repeat(len)), 605, 'token: is longer than 1024 characters')
    await rejects(initAdmin({ token: 't'.repeat(len) }), 605, 'token: is longer than 1024 characters')
  }
  assert.deepEqual(await sent(), [], 'nothing sent')
  await stillWorks()
})

test('a revoked Proxy anywhere is an HError, never a TypeError', async () => {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  await rejects(BaaS.init('id', proxy), 605, 'options')
  await rejects(BaaS.init(proxy), 605)
  await initAdmin()
  await clearRequests()
  throws(() => BaaS.setToken(proxy), 605, 'token')
  await rejects(BaaS.refund(proxy), 605)
  await rejects(BaaS.refund({ order_id: proxy }), 605, 'order_id')
  const order = new BaaS.Order()
  throws(() => order.limit(proxy), 605, 'limit')
  throws(() => order.orderBy(proxy), 605, 'orderBy')
  await rejects(order.getOrderList(proxy), 605, 'params')
  await rejects(order.wechatPay.profitSharing(proxy), 605)
  await rejects(order.alipay.profitSharing({ trade_no: F.aliShare, receivers: [proxy] }), 605, 'receivers[0]')
  assert.deepEqual(await sent(), [], 'nothing sent')
  await stillWorks()
})

test('a getter that calls order.limit() on the same Order is harmless (the call took its state first); the module lives', async () => {
  // The query state is plain JS in BaaS.Order: nothing in the wasm
  // is borrowed while a getter runs, so re-entering is no hazard any more.
  await initAdmin()
  await clearRequests()
  const order = new BaaS.Order()
  let inner = 'not called'
  const res = await within(
    order.getOrderList({
      get status() {
        try {
          inner = order.limit(5)
        } catch (e) {
          inner = e
        }
        return 'success'
      },
    }),
  )
  assert.equal(res.status, 200)
  assert.equal(inner, order, 'the setter chained as usual')
  const limits = async () => (await sent()).map(r => new URLSearchParams(r.query).get('limit'))
  // The value set from the getter is the next call's.
  const r2 = await within(order.getOrderList({ get status() { order.orderBy('id'); return 'success' } }))
  assert.equal(r2.data.objects.length <= 5, true)
  assert.deepEqual(await limits(), ['20', '5'])
  // The Order still works.
  const r = await within(order.limit(2).getOrderList())
  assert.equal(r.data.objects.length, 2)
  assert.equal(new URLSearchParams((await sent()).pop().query).get('order_by'), 'id')
})

test('a setter on Object.prototype for a header name that calls the SDK again while the headers are built: both calls answer, no trap', async () => {
  // The wasm reuses the last headers object and builds a new one only when
  // the headers change; nothing in the wasm is borrowed while it is built.
  await initAdmin()
  await clearRequests()
  let inner = 'not called'
  Object.defineProperty(Object.prototype, 'X-Hydrogen-Client-Platform', {
    configurable: true,
    set(v) {
      if (inner !== 'not called') return
      inner = 'calling' // the inner call builds its headers too: once is enough
      inner = new BaaS.Order().limit(1).getOrderList().then(
        r => r.status,
        e => (e instanceof HError ? e.code : 'not an HError: ' + e),
      )
    },
  })
  let outer
  try {
    BaaS.setToken(ADMIN_TOKEN) // the headers are built again at the next call
    outer = await within(new BaaS.Order().limit(1).getOrderList()).then(
      r => r.status,
      e => (e instanceof HError ? e.code : 'not an HError: ' + e),
    )
  } finally {
    delete Object.prototype['X-Hydrogen-Client-Platform']
  }
  assert.notEqual(inner, 'not called', 'the setter ran')
  inner = await within(inner)
  // The setter swallowed the header: both requests went without it, and both were answered.
  assert.equal(outer, 200)
  assert.equal(inner, 200)
  assert.equal((await sent()).length, 2)
  // The module lives, with the header again.
  await initAdmin()
  assert.equal((await within(new BaaS.Order().limit(1).getOrderList())).status, 200)
})

test('limit/offset out of the safe-integer range, also via params, are a 605, nothing sent', async () => {
  await initAdmin()
  await clearRequests()
  const order = new BaaS.Order()
  throws(() => order.offset(1e21), 605, 'offset')
  throws(() => order.limit(2 ** 64), 605, 'limit')
  throws(() => order.limit(Number.MAX_SAFE_INTEGER + 1), 605, 'limit')
  await rejects(order.getOrderList({ limit: -5 }), 605, 'params.limit')
  await rejects(order.getOrderList({ offset: 1.5 }), 605, 'params.offset')
  await rejects(order.getOrderList({ offset: 1e21 }), 605, 'params.offset')
  await rejects(order.getOrderList({ limit: '10' }), 605, 'params.limit')
  assert.deepEqual(await sent(), [], 'nothing sent')
  const res = await within(order.getOrderList({ limit: 3, offset: 1 }))
  assert.equal(res.data.objects.length, 3)
  const q = new URLSearchParams((await sent()).pop().query)
  assert.deepEqual([q.get('limit'), q.get('offset')], ['3', '1'])
})

test('a refused setToken or init clears the previous token (fail closed)', async () => {
  await initAdmin()
  throws(() => BaaS.setToken('bad\ntoken'), 605, 'token')
  await clearRequests()
  await rejects(new BaaS.Order().get(F.transactionNo), 401)
  assert.equal((await sent()).pop().headers.authorization, undefined, 'no Authorization after the refused setToken')
  // A refused init, from the wasm (a bad option) or from the shell (a bad request option).
  for (const bad of [{ timeout: -1 }, { request: 'not a function' }]) {
    await initAdmin()
    await rejects(initAdmin(bad), 605)
    await clearRequests()
    await rejects(new BaaS.Order().get(F.transactionNo), 401)
    assert.equal((await sent()).pop().headers.authorization, undefined, `no Authorization after init(${JSON.stringify(bad)})`)
  }
  await stillWorks()
})

test('the token never reaches e.message, whatever the server or a request function echoes', async () => {
  const srv = await server(req => [400, {}, JSON.stringify({ error_msg: 'bad header: ' + req.headers.authorization })])
  try {
    await BaaS.init(CLIENT_ID, { host: srv.url, token: ADMIN_TOKEN })
    const e = await rejects(BaaS.refund({ order_id: F.orderId }), 400, 'bad header: Hydrogen-r1 <redacted>')
    assert.ok(!e.message.includes(ADMIN_TOKEN), e.message)
    const g = await rejects(new BaaS.Order().get(F.transactionNo), 400, '<redacted>')
    assert.ok(!g.message.includes(ADMIN_TOKEN), g.message)
  } finally {
    await srv.close()
  }
  const echo = o => o.fail({ errMsg: 'request:fail ' + o.header.Authorization + ' ' + ADMIN_TOKEN })
  await initAdmin({ request: echo })
  for (const call of [() => BaaS.refund({ order_id: F.orderId }), () => new BaaS.Order().getOrderList()]) {
    const e = await rejects(call(), 600, '<redacted>')
    assert.ok(!e.message.includes(ADMIN_TOKEN), e.message)
  }
  await initAdmin({ request: () => Promise.reject(new Error('no: ' + ADMIN_TOKEN)) })
  const e = await rejects(new BaaS.Order().get(F.transactionNo), 600, '<redacted>')
  assert.ok(!e.message.includes(ADMIN_TOKEN), e.message)
  await stillWorks()
})

// Found by the 10-minute fuzz (seed 778207): `new BaaS.Query().compare(token,
// true)` answered "605: <token>: compare needs an operator …". Every error
// text that names a caller's key echoed it, the token too when a caller put
// it there; the core's 605s for refund, sharing and per-call option keys did
// the same. The shell's HError now hides the tokens the SDK was given and the
// stored one.
test('a caller\'s key that is the token: the 605 naming it shows <redacted>', async () => {
  await initAdmin()
  const cases = [
    ['Query.compare', () => new BaaS.Query().compare(ADMIN_TOKEN, true)],
    ['Query.in', () => new BaaS.Query().in(ADMIN_TOKEN, 'not an array')],
  ]
  for (const [name, fn] of cases) {
    const e = throws(fn, 605)
    assert.ok(!e.message.includes(ADMIN_TOKEN) && e.message.includes('<redacted>'), `${name}: ${e.message}`)
  }
  await clearRequests()
  const calls = [
    ['refund', () => BaaS.refund({ order_id: F.orderId, [ADMIN_TOKEN]: 1 })],
    ['addReceiver', () => BaaS.wechat.profitSharing.addReceiver({ [ADMIN_TOKEN]: 1 })],
    ['callOptions', () => new BaaS.Order().getOrderList(undefined, { [ADMIN_TOKEN]: 1 })],
  ]
  for (const [name, call] of calls) {
    const e = await rejects(call(), 605)
    assert.ok(!e.message.includes(ADMIN_TOKEN) && e.message.includes('<redacted>'), `${name}: ${e.message}`)
    assert.ok(!(e.field || '').includes(ADMIN_TOKEN), `${name}: field ${e.field}`)
  }
  assert.equal((await sent()).length, 0)
  // A token given to setToken, then replaced: still never shown.
  BaaS.setToken('another-token-0123456789')
  BaaS.setToken(ADMIN_TOKEN)
  const e = await rejects(BaaS.refund({ order_id: F.orderId, 'another-token-0123456789': 1 }), 605)
  assert.ok(!e.message.includes('another-token-0123456789'), e.message)
  await stillWorks()
})

// The shell's own HErrors go through the core's redaction as the wasm's do:
// a hostile value's thrown text (the shell's `guarded`), a refused token, a
// refused init's `request` option (checked by the core, so the core keeps
// that init's token).
test('the texts the shell makes hide the tokens too: a thrown text, a refused setToken\'s and init\'s token', async () => {
  await initAdmin()
  const q = new BaaS.Query()
  // A getter the shell reads (setQuery takes the query's object): its thrown text reaches the shell's `guarded`.
  Object.defineProperty(q, 'queryObject', { get: () => { throw new Error('no object for ' + ADMIN_TOKEN) } })
  const e = throws(() => new BaaS.Order().setQuery(q), 605)
  assert.equal(e.message, '605: could not run this call: no object for <redacted>')
  // A token refused for a stray space, and one given to an init refused for its `request`: both hidden.
  throws(() => BaaS.setToken('refused token-123'), 605, 'token')
  await rejects(BaaS.init(CLIENT_ID, { host: EMULATOR, token: 'init-refused-456', request: 'not a function' }), 605, 'options.request')
  for (const t of ['refused token-123', 'init-refused-456']) {
    const r = throws(() => new BaaS.Query().compare(t, true), 605)
    assert.ok(!r.message.includes(t) && r.message.includes('<redacted>'), r.message)
    assert.equal(r.field, '<redacted>')
  }
  await stillWorks()
})

// A request sent with the stored login token: that token stays hidden when a
// new login replaced it before the answer came (the core keeps what it sent with).
test('the stored token a request was sent with is hidden from its error after a new login replaced it', async t => {
  const srv = await server(req => [400, {}, JSON.stringify({ error_msg: 'bad header: ' + req.headers.authorization })])
  const had = Object.getOwnPropertyDescriptor(globalThis, 'localStorage')
  t.after(() => (had ? Object.defineProperty(globalThis, 'localStorage', had) : delete globalThis.localStorage))
  let stored = 'first-login-token-1111'
  Object.defineProperty(globalThis, 'localStorage', {
    value: { getItem: k => (k === 'ifx_baas_auth_token' ? JSON.stringify({ value: stored }) : null) },
    configurable: true,
    writable: true,
  })
  try {
    await BaaS.init(CLIENT_ID, { host: srv.url })
    const call = BaaS.refund({ order_id: F.orderId })
    stored = 'second-login-token-2222'
    const e = await rejects(call, 400, 'bad header: Hydrogen-r1 <redacted>')
    assert.ok(!e.message.includes('first-login-token-1111'), e.message)
    assert.equal(srv.got.length, 1)
    assert.equal(srv.got[0].authorization, 'Hydrogen-r1 first-login-token-1111')
  } finally {
    await srv.close()
  }
  await initAdmin()
  await stillWorks()
})

// The token a request was sent with stays hidden from its answer's error
// however many tokens were given while it was in flight (the core keeps it
// with the pending request, not only among the last four given).
test('the token a request was sent with is hidden from its error after four setTokens in flight', async () => {
  const T = 'first-token-AAAA'
  let answer
  const request = ({ header, success }) => (answer = () => success({ statusCode: 400, header: {}, data: JSON.stringify({ error_msg: 'bad header: ' + header.Authorization }) }))
  await BaaS.init(CLIENT_ID, { host: 'http://127.0.0.1:9', token: T, request })
  const call = BaaS.refund({ order_id: 1 })
  for (const t of ['t-one', 't-two', 't-three', 't-four']) BaaS.setToken(t)
  answer()
  const e = await rejects(call, 400, 'bad header: Hydrogen-r1 <redacted>')
  assert.ok(!e.message.includes(T), e.message)
  // A failure of the request function echoing it: hidden too.
  let fail
  await BaaS.init(CLIENT_ID, { host: 'http://127.0.0.1:9', token: T, request: ({ header, fail: f }) => (fail = () => f({ errMsg: 'request:fail ' + header.Authorization })) })
  const failing = BaaS.refund({ order_id: 1 })
  for (const t of ['t-five', 't-six', 't-seven', 't-eight']) BaaS.setToken(t)
  fail()
  const f = await rejects(failing, 600)
  assert.ok(!f.message.includes(T) && f.message.includes('<redacted>'), f.message)
  await initAdmin()
  await stillWorks()
})

// A thrown text too long to cross into the wasm (ERR_STRING_TOO_LONG on the
// way back) is still an HError, showing no raw text, and leaves no cell
// borrowed: setToken, init with a token and the calls work after it.
test('a hostile value throwing a text too long for the wasm is an HError 605, and the module lives', async () => {
  await initAdmin()
  const q = new BaaS.Query()
  Object.defineProperty(q, 'queryObject', { get: () => { throw new Error('中'.repeat(250e6)) } })
  const e = throws(() => new BaaS.Order().setQuery(q), 605)
  assert.ok(e.message.length < 200, e.message.slice(0, 200))
  BaaS.setToken('after-huge-1')
  BaaS.setToken(ADMIN_TOKEN)
  await initAdmin()
  await stillWorks()
})

// A token given to an init refused for another field (one past the input
// budget) is kept and hidden; so is a setToken string past the token cap.
test('the token of an init refused for an over-long field, and an over-long setToken string, are hidden', async () => {
  const T = 'init-refused-token-789'
  await rejects(BaaS.init(CLIENT_ID, { host: EMULATOR, token: T, env: 'e'.repeat(1100) }), 605, 'env')
  await initAdmin()
  let r = throws(() => new BaaS.Query().compare(T, true), 605)
  assert.ok(!r.message.includes(T), r.message)
  assert.equal(r.field, '<redacted>')
  const long = 'L'.repeat(1500)
  throws(() => BaaS.setToken(long), 605, 'token')
  const q = new BaaS.Query()
  Object.defineProperty(q, 'queryObject', { get: () => { throw new Error('no object for ' + long) } })
  r = throws(() => new BaaS.Order().setQuery(q), 605)
  assert.ok(!r.message.includes(long), r.message.slice(0, 100))
  await initAdmin()
  await stillWorks()
})

// init reads `token` on its own (to keep it before anything is refused) and
// again with the rest of the options: a getter answering differently the
// second time must not leave the token init configured, and sends with,
// unhidden.
test('a token getter that answers twice differently: the token init configured is hidden as well', async () => {
  let reads = 0
  const token = () => (reads++ ? 'configured-token-2468' : 'first-read-token-1357')
  await BaaS.init(CLIENT_ID, { host: EMULATOR, get token() { return token() } })
  assert.equal(reads, 2)
  for (const t of ['first-read-token-1357', 'configured-token-2468']) {
    const r = throws(() => new BaaS.Query().compare(t, true), 605)
    assert.ok(!r.message.includes(t) && r.message.includes('<redacted>'), r.message)
    assert.equal(r.field, '<redacted>')
  }
  await initAdmin()
  await stillWorks()
})

// The token minapp-sdk stored is hidden too, read from a `localStorage` with a
// `getItem` (a polyfill here: Node has none). One without `getItem` (Node 25.0
// and 25.1 without --localstorage-file have an empty object) or whose getter
// throws is no store: errors stay plain 605s.
test('the stored token is hidden where localStorage has a getItem, and a broken localStorage is none', async t => {
  await initAdmin()
  const stored = 'stored-login-token-5678'
  const had = Object.getOwnPropertyDescriptor(globalThis, 'localStorage')
  t.after(() => (had ? Object.defineProperty(globalThis, 'localStorage', had) : delete globalThis.localStorage))
  const store = value => Object.defineProperty(globalThis, 'localStorage', { value, configurable: true, writable: true })
  store({ getItem: k => (k === 'ifx_baas_auth_token' ? JSON.stringify({ value: stored }) : null) })
  assert.match(throws(() => new BaaS.Query().compare(stored, true), 605).message, /<redacted>/)
  for (const broken of [{}, { getItem: 'no' }, null]) {
    store(broken)
    const e = throws(() => new BaaS.Query().compare(stored, true), 605)
    assert.ok(e.message.includes(stored), `${JSON.stringify(broken)}: ${e.message}`)
  }
  Object.defineProperty(globalThis, 'localStorage', {
    get() {
      throw new Error('SecurityError')
    },
    configurable: true,
  })
  assert.ok(throws(() => new BaaS.Query().compare(stored, true), 605).message.includes(stored))
  await stillWorks()
})

// Found by the fuzz once it generated BaaS.Query calls: a sparse
// `new Array(2 ** 32 - 1)` given to `notExists` was walked item by item (about
// 90 s of a blocked thread, then a 605 naming nothing), and `in` with one
// blocked for longer. Each array's length is now checked against the input
// budget's item cap before any item is read.
test('a huge sparse array in a BaaS.Query operator is refused at once, naming the field', () => {
  const huge = new Array(2 ** 32 - 1)
  for (const m of ['isNull', 'isNotNull', 'exists', 'notExists']) {
    assert.equal(throws(() => new BaaS.Query()[m](huge), 605).field, `Query.${m}`)
  }
  for (const m of ['in', 'notIn']) {
    const e = throws(() => new BaaS.Query()[m]('status', huge), 605)
    assert.equal(e.field, 'status')
    assert.match(e.message, /at most 100/)
  }
  // Holes are no values: refused, not sent as null.
  assert.equal(throws(() => new BaaS.Query().in('status', new Array(3)), 605).field, 'status')
  assert.equal(throws(() => new BaaS.Query().isNull(new Array(3)), 605).field, 'Query.isNull')
  // The cap itself is the input budget's: 100 values pass, 101 do not.
  assert.ok(new BaaS.Query().in('status', Array(100).fill('success')) instanceof BaaS.Query)
  throws(() => new BaaS.Query().in('status', Array(101).fill('success')), 605)
})

// ---- The newer surface: iterate, sharing answers, transports, e.field ----------------------------------

// Every item of a list call's answer, or the HError that ended the iteration.
async function drain(iterator) {
  const items = []
  try {
    for await (const x of iterator) items.push(x)
  } catch (e) {
    return { items, error: e }
  }
  return { items }
}

test('iterate: a 200 page that is no list page (objects a string, no meta, no objects) ends with an HError 600 carrying the body, not a TypeError or characters', async () => {
  const pages = [
    { meta: { offset: 0, next: null, total_count: 3 }, objects: 'abc' },
    { objects: [] },
    { meta: { offset: 0, next: null } },
    { meta: null, objects: [1] },
    [1, 2, 3],
  ]
  let body
  const srv = await server(() => [200, {}, JSON.stringify(body)])
  try {
    await BaaS.init(CLIENT_ID, { host: srv.url, token: ADMIN_TOKEN })
    for (const page of pages) {
      body = page
      for (const iterate of [() => new BaaS.Order().iterate(), () => new BaaS.wechat.profitSharing.Order().iterate()]) {
        const { items, error } = await drain(iterate())
        assert.deepEqual(items, [], `${JSON.stringify(page)}: nothing yielded`)
        assert.ok(error instanceof HError, `${JSON.stringify(page)}: an HError, got ${error && error.name}: ${error && error.message}`)
        assert.equal(error.code, 600, error.message)
        assert.match(error.message, /list page/)
        assert.deepEqual(error.data, page, 'the body is on e.data')
      }
    }
  } finally {
    await srv.close()
  }
})

test('iterate: params.offset is a 605 before the first page is sent', async () => {
  await initAdmin()
  await clearRequests()
  for (const iterate of [
    o => new BaaS.Order().iterate(o),
    o => new BaaS.wechat.profitSharing.Order().iterate(o),
    o => new BaaS.alipay.profitSharing.Order().iterate(o),
  ]) {
    const { items, error } = await drain(iterate({ offset: 5 }))
    assert.deepEqual(items, [])
    assert.ok(error instanceof HError, `an HError, got ${error}`)
    assert.equal(error.code, 605, error.message)
    assert.equal(error.field, 'params.offset')
  }
  assert.deepEqual(await sent(), [], 'nothing sent')
  // The offset setter still starts the iteration, and every page is the next one.
  const all = (await new BaaS.Order().limit(11).getOrderList()).data.objects
  const items = []
  for await (const o of new BaaS.Order().offset(2).limit(3).iterate()) if (items.push(o) === 9) break
  assert.deepEqual(items.map(o => o.id), all.slice(2).map(o => o.id))
  assert.deepEqual((await sent()).slice(1).map(r => new URLSearchParams(r.query).get('offset')), ['2', '5', '8'])
})

test('a multi sharing or finish answered SYSTEMERROR / FREQUENCY_LIMITED says the outcome is unknown (e.outcomeUnknown), whatever the status', async () => {
  let answer
  const srv = await server(() => answer)
  try {
    await BaaS.init(CLIENT_ID, { host: srv.url, token: ADMIN_TOKEN })
    const calls = [
      ['multiProfitSharing', () => new BaaS.Order().wechatPay.multiProfitSharing({ trade_no: F.wxShare1, appid: F.appid, receivers: [wxReceiver()] })],
      ['profitSharing', () => new BaaS.Order().wechatPay.profitSharing({ trade_no: F.wxShare1, appid: F.appid, receivers: [wxReceiver()] })],
      ['finish', () => new BaaS.wechat.profitSharing.Order().finish({ trade_no: F.wxShare1, appid: F.appid, description: '完结' })],
    ]
    for (const [status, code] of [[500, 'SYSTEMERROR'], [503, 'FREQUENCY_LIMITED'], [200, 'SYSTEMERROR'], [400, 'FREQUENCY_LIMITED']]) {
      answer = [status, {}, JSON.stringify({ err_code: code, error_msg: '系统繁忙' })]
      for (const [name, call] of calls) {
        const e = await rejects(call(), status === 200 ? 600 : status, 'do not call again')
        assert.equal(e.outcomeUnknown, true, `${name} ${status} ${code}: e.outcomeUnknown is ${e.outcomeUnknown}`)
      }
    }
  } finally {
    await srv.close()
  }
})

test('an aborted call through a request function that never answers leaves no timer: the Node process exits', async () => {
  const { spawn } = await import('node:child_process')
  const fs = await import('node:fs')
  const path = await import('node:path')
  const { installDir } = await import('./install.mjs')
  const script = path.join(installDir(), 'abort-exit.mjs')
  fs.writeFileSync(
    script,
    `import { BaaS } from 'baas-order'
for (const request of [() => new Promise(() => {}), () => {}]) {
  await BaaS.init('id', { host: 'http://127.0.0.1:9', token: 't', timeout: 2147483647, request })
  const c = new AbortController()
  const p = BaaS.refund({ order_id: 1 }, { signal: c.signal })
  setTimeout(() => c.abort(), 10)
  await p.then(() => console.log('resolved'), e => console.log('rejected', e.code, e.aborted, e.outcomeUnknown))
}
`,
  )
  const child = spawn(process.execPath, [script], { cwd: installDir(), stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', d => (out += d))
  const exited = new Promise(r => child.on('exit', code => r(code)))
  let timer
  const stuck = new Promise(r => (timer = setTimeout(() => r('still running after 20 s'), 20_000)))
  const code = await Promise.race([exited, stuck])
  clearTimeout(timer)
  if (code === 'still running after 20 s') child.kill()
  assert.equal(out, 'rejected 600 true true\nrejected 600 true true\n')
  assert.equal(code, 0, `the process: ${code}`)
})

test('wx.request answering data as an ArrayBuffer: decoded as UTF-8 (a refused refund stays refused), invalid UTF-8 is the malformed-body 600', async () => {
  const bytes = v => new TextEncoder().encode(JSON.stringify(v))
  let data, statusCode = 200
  await initAdmin({ request: o => o.success({ statusCode, data, header: {} }) })
  const refused = { status: 'failed', error_msg: '余额不足 💰' }
  const { runInNewContext } = await import('node:vm')
  // Another realm's ArrayBuffer (a runtime's own, as in the simulated mini-programs' vm contexts) too.
  const foreign = b => runInNewContext('new Uint8Array(b).buffer', { b: [...b] })
  for (const wrap of [b => b.buffer, b => b, b => new DataView(b.buffer), foreign]) {
    data = wrap(bytes(refused))
    const res = await within(BaaS.refund({ order_id: F.orderId, refund_amount: 0.01 }))
    assert.deepEqual(res.data, refused)
  }
  statusCode = 400
  data = bytes({ error_msg: '订单不存在' }).buffer
  await rejects(BaaS.refund({ order_id: F.orderId }), 400, '订单不存在')
  statusCode = 200
  data = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]).buffer
  const e = await rejects(BaaS.refund({ order_id: F.orderId }), 600, 'malformed response body (HTTP 200)')
  assert.equal(e.outcomeUnknown, true)
  data = new ArrayBuffer(0)
  await rejects(new BaaS.Order().getOrderList(), 600, 'malformed response body (HTTP 200)')
  await stillWorks()
})

test('a fetch that ignores init.signal still times out with the SDK\'s own timer (601), with or without AbortSignal.timeout', async t => {
  const real = { fetch: globalThis.fetch, timeout: AbortSignal.timeout }
  t.after(() => {
    globalThis.fetch = real.fetch
    AbortSignal.timeout = real.timeout
  })
  await initAdmin({ timeout: 200 })
  // A logging wrapper that rebuilds init without the signal.
  globalThis.fetch = (url, init) => real.fetch(url, { method: init.method, headers: init.headers, body: init.body }).then(r => new Promise(() => {}))
  await rejects(new BaaS.Order().getOrderList(), 601, 'request timeout after 200 ms')
  globalThis.fetch = () => new Promise(() => {})
  const e = await rejects(BaaS.refund({ order_id: F.orderId }), 601)
  assert.equal(e.outcomeUnknown, true)
  delete AbortSignal.timeout
  await rejects(new BaaS.Order().getOrderList(), 601, 'request timeout after 200 ms')
  // A Response whose body never ends.
  AbortSignal.timeout = real.timeout
  globalThis.fetch = () => Promise.resolve(new Response(new ReadableStream({ pull: () => new Promise(() => {}) })))
  await rejects(new BaaS.Order().getOrderList(), 601)
  globalThis.fetch = real.fetch
  await stillWorks()
  // Settled calls leave nothing on the timeout signal: each listener the race added is removed.
  const listening = new Set()
  AbortSignal.timeout = ms => {
    const signal = real.timeout.call(AbortSignal, ms)
    const add = signal.addEventListener.bind(signal)
    const remove = signal.removeEventListener.bind(signal)
    signal.addEventListener = (type, f, ...rest) => (listening.add(f), add(type, f, ...rest))
    signal.removeEventListener = (type, f, ...rest) => (listening.delete(f), remove(type, f, ...rest))
    return signal
  }
  await initAdmin({ timeout: 200 + Math.floor(Math.random() * 1000) }) // a timeout no shared signal has yet
  // Stand-ins that never touch the signal (Node's own fetch listens on it too).
  globalThis.fetch = async () => new Response('{"meta":{"offset":0,"next":null},"objects":[]}')
  assert.equal((await within(new BaaS.Order().limit(1).getOrderList())).status, 200)
  globalThis.fetch = () => Promise.reject(new TypeError('fetch failed'))
  await rejects(new BaaS.Order().getOrderList(), 600)
  globalThis.fetch = real.fetch
  assert.equal(listening.size, 0, 'no listener left on the timeout signal')
})

test('e.field is the field as its own value: a token that is part of the field name changes the message, never e.field', async () => {
  await BaaS.init(CLIENT_ID, { host: EMULATOR, token: 'amount' })
  await clearRequests()
  const e = await rejects(BaaS.refund({ order_id: F.orderId, refund_amount: -1 }), 605)
  assert.equal(e.field, 'refund_amount')
  assert.ok(!e.message.includes('amount'), e.message)
  const r = await rejects(new BaaS.Order().wechatPay.profitSharing({ trade_no: F.wxShare1, appid: F.appid, receivers: [wxReceiver({ description: 1 })] }), 605)
  assert.equal(r.field, 'receivers[0].description')
  // A name in the path that *is* a token is hidden (it cannot be told from a caller's key holding the token).
  const a = await rejects(new BaaS.Order().wechatPay.profitSharing({ trade_no: F.wxShare1, appid: F.appid, receivers: [wxReceiver({ amount: -1 })] }), 605)
  assert.equal(a.field, 'receivers[0].<redacted>')
  const u = await rejects(BaaS.refund({ order_id: F.orderId, total_amount: 1 }), 605, 'unknown field')
  assert.equal(u.field, 'total_amount')
  const q = throws(() => new BaaS.Query().compare('refund_amount', '~', 1), 605)
  assert.equal(q.field, 'refund_amount')
  assert.deepEqual(await sent(), [], 'nothing sent')
  await stillWorks()
})

test('Query.and / Query.or / setQuery take only a BaaS.Query holding a query object: Object.create(BaaS.Query.prototype) is a 605, nothing sent', async () => {
  await initAdmin()
  await clearRequests()
  const fake = Object.create(BaaS.Query.prototype)
  const broken = new BaaS.Query()
  broken.queryObject = null
  for (const bad of [fake, broken]) {
    assert.equal(throws(() => BaaS.Query.and(bad), 605).field, 'Query.and')
    assert.equal(throws(() => BaaS.Query.or(new BaaS.Query(), bad), 605).field, 'Query.or')
    assert.equal(throws(() => new BaaS.Order().setQuery(bad), 605).field, 'setQuery')
  }
  assert.deepEqual(await sent(), [], 'nothing sent')
  const q = BaaS.Query.and(new BaaS.Query().compare('status', '=', 'success'))
  assert.equal((await within(new BaaS.Order().setQuery(q).limit(1).getOrderList())).status, 200)
})

// ---- Every public call, given a hostile value ------------------------------

// Each public call (tests/js/calls.mjs) with `v` where it reads its first
// argument (every argument, for a BaaS.Query operator). The first test below
// fails when a call has no entry here, or an entry names no call.
const wxSharing = () => new BaaS.wechat.profitSharing.Order()
const aliSharing = () => new BaaS.alipay.profitSharing.Order()
const QUERY_OPERATORS = ['arrayContains', 'compare', 'contains', 'exists', 'hasKey', 'in', 'include', 'isNotNull', 'isNull', 'matches', 'notExists', 'notIn', 'within', 'withinCircle', 'withinRegion']
const HOSTILE_CALLS = {
  'BaaS.init': v => BaaS.init(CLIENT_ID, v),
  'BaaS.setToken': v => BaaS.setToken(v),
  'BaaS.refund': v => BaaS.refund(v),
  'BaaS.order': v => BaaS.order(v),
  'BaaS.getOrderList': v => BaaS.getOrderList(v),
  'BaaS.pay': v => BaaS.pay(v),
  'BaaS.payment.payWithWechat': v => BaaS.payment.payWithWechat(v),
  'BaaS.payment.payWithAlipay': v => BaaS.payment.payWithAlipay(v),
  'BaaS.payment.payWithQQ': v => BaaS.payment.payWithQQ(v),
  'BaaS.Order#offset': v => new BaaS.Order().offset(v),
  'BaaS.Order#limit': v => new BaaS.Order().limit(v),
  'BaaS.Order#orderBy': v => new BaaS.Order().orderBy(v),
  'BaaS.Order#select': v => new BaaS.Order().select(v),
  'BaaS.Order#expand': v => new BaaS.Order().expand(v),
  'BaaS.Order#setQuery': v => new BaaS.Order().setQuery(v),
  'BaaS.Order#getOrderList': v => new BaaS.Order().getOrderList(v),
  'BaaS.Order#iterate': v => new BaaS.Order().iterate(v).next(),
  'BaaS.Order#get': v => new BaaS.Order().get(v),
  'BaaS.Order#waitForPayment': v => new BaaS.Order().waitForPayment(F.transactionNo, v),
  'BaaS.Order#wechatPay.profitSharing': v => new BaaS.Order().wechatPay.profitSharing(v),
  'BaaS.Order#wechatPay.multiProfitSharing': v => new BaaS.Order().wechatPay.multiProfitSharing(v),
  'BaaS.Order#alipay.profitSharing': v => new BaaS.Order().alipay.profitSharing(v),
  ...Object.fromEntries(QUERY_OPERATORS.map(m => [`BaaS.Query#${m}`, v => new BaaS.Query()[m](v, v, v)])),
  'BaaS.Query.and': v => BaaS.Query.and(v),
  'BaaS.Query.or': v => BaaS.Query.or(v),
  'BaaS.wechat.profitSharing.addReceiver': v => BaaS.wechat.profitSharing.addReceiver(v),
  'BaaS.wechat.profitSharing.removeReceiver': v => BaaS.wechat.profitSharing.removeReceiver(v),
  'BaaS.wechat.profitSharing.Order#offset': v => wxSharing().offset(v),
  'BaaS.wechat.profitSharing.Order#limit': v => wxSharing().limit(v),
  'BaaS.wechat.profitSharing.Order#getOrderList': v => wxSharing().getOrderList(v),
  'BaaS.wechat.profitSharing.Order#iterate': v => wxSharing().iterate(v).next(),
  'BaaS.wechat.profitSharing.Order#finish': v => wxSharing().finish(v),
  'BaaS.wechat.profitSharing.Order#refund': v => wxSharing().refund(v),
  'BaaS.wechat.profitSharing.Order#getRefundmentOrder': v => wxSharing().getRefundmentOrder(v),
  'BaaS.alipay.profitSharing.addReceiver': v => BaaS.alipay.profitSharing.addReceiver(v),
  'BaaS.alipay.profitSharing.removeReceiver': v => BaaS.alipay.profitSharing.removeReceiver(v),
  'BaaS.alipay.profitSharing.receiverQuery': v => BaaS.alipay.profitSharing.receiverQuery(v),
  'BaaS.alipay.profitSharing.Order#offset': v => aliSharing().offset(v),
  'BaaS.alipay.profitSharing.Order#limit': v => aliSharing().limit(v),
  'BaaS.alipay.profitSharing.Order#getOrderList': v => aliSharing().getOrderList(v),
  'BaaS.alipay.profitSharing.Order#iterate': v => aliSharing().iterate(v).next(),
}
// Calls that read no argument: they return as usual.
const TAKES_NO_ARGUMENT = { 'BaaS.clearToken': v => BaaS.clearToken(v) }

test('every public call of the package has an entry in the hostile list, and each entry a public call', async () => {
  const { compare } = await import('./calls.mjs')
  const { registry, missing, extra } = compare(BaaS, [...Object.keys(HOSTILE_CALLS), ...Object.keys(TAKES_NO_ARGUMENT)])
  assert.ok(registry.length >= 56, `the walk found the package's calls: ${registry.join(', ')}`)
  assert.deepEqual(missing, [], 'public calls with no hostile entry')
  assert.deepEqual(extra, [], 'hostile entries for calls the package does not have')
})

test('every public call given a revoked Proxy, a Proxy whose traps throw, or a cyclic object: an HError 605 (611 for an operator the SDK does not support), nothing sent, the module lives', async () => {
  const revokedNow = () => {
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    return proxy
  }
  const values = {
    'a revoked Proxy': revokedNow,
    'a Proxy whose traps throw': () => new Proxy({}, { ownKeys() { throw new Error('trap ownKeys') }, get() { throw new Error('trap get') }, has() { throw new Error('trap has') } }),
    'a cyclic object': () => {
      const o = {}
      o.a = o
      o.b = o
      o.c = o
      return o
    },
  }
  const wrong = []
  for (const [name, call] of Object.entries(HOSTILE_CALLS)) {
    for (const [what, make] of Object.entries(values)) {
      await initAdmin()
      await clearRequests()
      let outcome
      try {
        const r = call(make())
        outcome = r && typeof r.then === 'function' ? await within(r).then(v => ({ value: v }), e => ({ error: e })) : { value: r }
      } catch (e) {
        outcome = { error: e }
      }
      const e = outcome.error
      const code = e instanceof HError ? e.code : undefined
      if (!(code === 605 || (code === 611 && name.startsWith('BaaS.Query#')))) {
        wrong.push(`${name} given ${what}: ${'error' in outcome ? `${e && e.name} ${e && e.code}: ${e && e.message}` : 'no error'}`)
      }
      const got = await sent()
      if (got.length) wrong.push(`${name} given ${what}: ${got.length} request(s) sent`)
    }
  }
  for (const [name, call] of Object.entries(TAKES_NO_ARGUMENT)) assert.equal(call(revokedNow()), undefined, name)
  assert.deepEqual(wrong, [])
  await stillWorks()
  assert.deepEqual(unhandled, [], 'no unhandled rejection')
})
