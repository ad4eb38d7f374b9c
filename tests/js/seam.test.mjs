// The request seam between the wasm and the JS shell (docs/architecture.md,
// "The request seam"): the wasm calls the shell's
// `send(url, method, headers, body, timeout, signal, ticket, request)` with
// the parts as arguments, and `send` answers `reply(ticket, answer, kind)`.
// Both sides name the positions on their own (src/transport's `call_send`,
// pkg-template/src/send.js's `makeSend`; xtask's tables.rs checks the two
// lists agree), so here each position is seen arriving where it belongs, on
// the packed package: through a `request` option, which gets the url,
// method, headers, body and timeout, runs under the signal, and whose answer
// goes back under the ticket.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { freshCopy } from './install.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, FIXTURES as F, PATHS, reset, requests, clearRequests, rejectsHError } from './emulator.mjs'

before(() => reset())

// A BaaS of its own, whose transport is `request` (wx.request-style).
const withRequest = async request => {
  const { BaaS } = await freshCopy().importESM()
  await BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN, timeout: 7000, request })
  return BaaS
}

test('send puts each of its eight parts in its place: url, method, headers, body, timeout, signal, ticket, request', async () => {
  const got = []
  const B = await withRequest(o => {
    got.push(o)
    o.success({ statusCode: 200, header: { 'x-seam': 'answered' }, data: '{"refund_id":"seam-1"}' })
  })
  await clearRequests()
  const data = { trade_no: F.tradeNo, refund_amount: 0.01 }
  const r = await B.refund(data, { timeout: 4321, signal: new AbortController().signal })
  // request: the call went through the given function, and nothing through fetch.
  assert.equal(got.length, 1)
  assert.deepEqual(await requests(), [])
  const [o] = got
  // url, method
  assert.equal(o.url, EMULATOR + PATHS.refund)
  assert.equal(o.method, 'POST')
  // headers
  assert.equal(o.header.Authorization, 'Hydrogen-r1 ' + ADMIN_TOKEN)
  assert.equal(o.header['X-Hydrogen-Client-ID'], CLIENT_ID)
  assert.equal(o.header['Content-Type'], 'application/json')
  // body
  assert.equal(typeof o.data, 'string')
  assert.deepEqual(JSON.parse(o.data), data)
  // timeout: the call's own, not init's 7000
  assert.equal(o.timeout, 4321)
  // ticket: the answer came back to this call
  assert.deepEqual(r.data, { refund_id: 'seam-1' })
  assert.equal(r.status, 200)
  assert.equal(r.headers['x-seam'], 'answered')
})

test('a GET with no call options: no body, init\'s timeout, no Content-Type', async () => {
  const got = []
  const B = await withRequest(o => (got.push(o), o.success({ statusCode: 200, header: {}, data: '{"id":1}' })))
  const r = await new B.Order().get(F.transactionNo)
  assert.equal(got.length, 1)
  assert.equal(got[0].url, EMULATOR + PATHS.order(F.transactionNo))
  assert.equal(got[0].method, 'GET')
  assert.equal(got[0].data, undefined)
  assert.equal(got[0].timeout, 7000)
  assert.equal(got[0].header['Content-Type'], undefined)
  assert.deepEqual(r.data, { id: 1 })
})

test('signal: the call\'s signal is the one send listens to', async () => {
  let sent = 0
  // Never answers: only the signal can end the call.
  const B = await withRequest(() => void sent++)
  const c = new AbortController()
  const call = B.refund({ trade_no: F.tradeNo, refund_amount: 0.01 }, { signal: c.signal })
  setTimeout(() => c.abort('seam'), 20)
  const e = await rejectsHError(call, 600, B.HError)
  assert.equal(e.aborted, true)
  assert.equal(e.cause, 'seam')
  assert.equal(e.outcomeUnknown, true)
  assert.equal(sent, 1)
})

test('reply kinds: a transport failure leaves a refund\'s outcome unknown; only the package\'s own "no fetch" says nothing was sent', async () => {
  // REPLY_FAILURE: the request function failed (it may have sent first).
  const B = await withRequest(o => o.fail({ errMsg: 'request:fail seam' }))
  const e = await rejectsHError(B.refund({ trade_no: F.tradeNo, refund_amount: 0.01 }), 600, B.HError)
  assert.equal(e.outcomeUnknown, true)
  assert.match(e.message, /request:fail seam/)

  // REPLY_UNSENT: the fetch adapter found no fetch, before anything was sent.
  const { BaaS: C } = await freshCopy().importESM()
  await C.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  const fetch0 = globalThis.fetch
  try {
    delete globalThis.fetch
    const e = await rejectsHError(C.refund({ trade_no: F.tradeNo, refund_amount: 0.01 }), 611, C.HError)
    assert.equal(e.outcomeUnknown, undefined)
    assert.equal(e.aborted, undefined)
  } finally {
    globalThis.fetch = fetch0
  }
})
