// Per-call options `{ signal, timeout }`, the trailing
// argument of every call that sends a request.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { getEventListeners } from 'node:events'
import { importESM, freshCopy } from './install.mjs'
import {
  EMULATOR, CLIENT_ID, ADMIN_TOKEN, FIXTURES as F, PATHS,
  reset, requests, clearRequests, fault, rejectsHError,
} from './emulator.mjs'

const { BaaS } = await importESM()
const initAdmin = options => BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN, ...options })
const sharing = { trade_no: F.tradeNo, appid: F.appid, receivers: [{ type: 'MERCHANT_ID', account: F.wechatMerchant, amount: 1, description: 'd' }] }

// Every call that sends, with its per-call options.
const CALLS = {
  getOrderList: o => new BaaS.Order().getOrderList({}, o),
  get: o => new BaaS.Order().get(F.transactionNo, o),
  refund: o => BaaS.refund({ trade_no: F.tradeNo, refund_amount: 0.01 }, o),
  'wechatPay.profitSharing': o => new BaaS.Order().wechatPay.profitSharing(sharing, o),
  'wechatPay.multiProfitSharing': o => new BaaS.Order().wechatPay.multiProfitSharing(sharing, o),
  'alipay.profitSharing': o =>
    new BaaS.Order().alipay.profitSharing({ trade_no: F.sharedNo, receivers: [{ type: 'userId', account: F.alipayUserId, amount: 1, description: 'd' }] }, o),
  iterate: async o => {
    for await (const _ of new BaaS.Order().limit(1).iterate({}, o)) return
  },
}

// A hang guard (not a timing assertion): the call must settle before the
// delayed server answers.
const settlesBefore = (p, ms) =>
  Promise.race([p, new Promise((_, no) => setTimeout(() => no(new Error(`still pending after ${ms} ms`)), ms).unref())])

before(async () => {
  await reset()
  await initAdmin()
})

test('an already aborted signal sends nothing: HError aborted, its reason as cause', async () => {
  for (const [name, call] of Object.entries(CALLS)) {
    await clearRequests()
    const reason = new Error('the user left the page')
    const e = await rejectsHError(call({ signal: AbortSignal.abort(reason) }), 600, BaaS.HError)
    assert.equal(e.aborted, true, name)
    assert.equal(e.cause, reason, name)
    assert.equal(e.outcomeUnknown, undefined, name)
    assert.match(e.message, /nothing was sent/, name)
    assert.deepEqual(await requests(), [], `${name} sent a request`)
  }
})

test('aborting a call in flight rejects it at once; a GET says nothing about money', async () => {
  await fault({ kind: 'delay', delay_ms: 3000, path_prefix: PATHS.orderList })
  const c = new AbortController()
  const call = new BaaS.Order().getOrderList({}, { signal: c.signal })
  setTimeout(() => c.abort('stop'), 100)
  const e = await rejectsHError(settlesBefore(call, 2500), 600, BaaS.HError)
  assert.equal(e.aborted, true)
  assert.equal(e.cause, 'stop')
  assert.equal(e.outcomeUnknown, undefined)
  assert.equal((await new BaaS.Order().limit(1).getOrderList()).status, 200, 'the next call works')
})

test('a refund aborted after hand-over says its outcome is unknown (sent once, never again)', async () => {
  await clearRequests()
  await fault({ kind: 'delay', delay_ms: 3000, path_prefix: PATHS.refund })
  const c = new AbortController()
  const call = BaaS.refund({ trade_no: F.tradeNo, refund_amount: 0.01 }, { signal: c.signal })
  setTimeout(() => c.abort(), 100)
  const e = await rejectsHError(settlesBefore(call, 2500), 600, BaaS.HError)
  assert.equal(e.aborted, true)
  assert.equal(e.outcomeUnknown, true)
  assert.ok(e.cause instanceof Error && e.cause.name === 'AbortError', String(e.cause))
  assert.match(e.message, /outcome is unknown/)
  const posts = (await requests()).filter(r => r.path === PATHS.refund)
  assert.equal(posts.length, 1)
})

test('a per-call timeout replaces init\'s for that call only', async () => {
  await fault({ kind: 'delay', delay_ms: 1500, path_prefix: PATHS.order(F.transactionNo) })
  const e = await rejectsHError(new BaaS.Order().get(F.transactionNo, { timeout: 200 }), 601, BaaS.HError)
  assert.equal(e.message, '601: request timeout after 200 ms')
  assert.equal(e.aborted, undefined)
  const ok = await new BaaS.Order().get(F.transactionNo, { timeout: 5000 })
  assert.equal(ok.data.transaction_no, F.transactionNo)
})

test('bad per-call options are 605 naming the key, and nothing is sent', async () => {
  const cases = [
    [{ timeout: 0 }, 'callOptions.timeout'],
    [{ timeout: '100' }, 'callOptions.timeout'],
    [{ signal: {} }, 'callOptions.signal'],
    [{ signal: { aborted: true } }, 'callOptions.signal'],
    [{ sigal: AbortSignal.abort() }, 'callOptions.sigal'],
    ['fast', 'callOptions'],
  ]
  for (const [name, call] of Object.entries(CALLS)) {
    for (const [options, field] of cases) {
      await clearRequests()
      const e = await rejectsHError(call(options), 605, BaaS.HError)
      assert.equal(e.field, field, `${name} ${JSON.stringify(options)}: ${e.message}`)
      assert.deepEqual(await requests(), [], `${name} sent a request`)
    }
  }
})

test('one signal shared by many calls keeps no listener once they settle', async () => {
  const c = new AbortController()
  const calls = Array.from({ length: 50 }, () => new BaaS.Order().limit(1).getOrderList({}, { signal: c.signal }))
  assert.equal(getEventListeners(c.signal, 'abort').length, 50, 'each call in flight listens')
  await Promise.all(calls)
  assert.equal(getEventListeners(c.signal, 'abort').length, 0)
})

test('a host request function that never answers: the signal still ends the call', async () => {
  const { BaaS: B } = await freshCopy().importESM()
  const sent = []
  // wx.request-style, never calls success or fail.
  await B.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN, request: o => void sent.push(o) })
  const c = new AbortController()
  const call = B.refund({ trade_no: F.tradeNo, refund_amount: 0.01 }, { signal: c.signal })
  setTimeout(() => c.abort('gone'), 50)
  const e = await rejectsHError(settlesBefore(call, 2500), 600, B.HError)
  assert.equal(e.aborted, true)
  assert.equal(e.cause, 'gone')
  assert.equal(e.outcomeUnknown, true)
  assert.equal(sent.length, 1)
})

test('a patched fetch that throws "not sent"-shaped values after sending cannot make a refund claim it was not sent', async () => {
  await clearRequests() // (the emulator's controls go through fetch too: before the patch)
  const real = globalThis.fetch
  globalThis.fetch = async (url, init) => {
    await real(url, init) // the request went out
    throw { notSent: 'pretend', noFetch: true }
  }
  let e
  try {
    e = await rejectsHError(BaaS.refund({ trade_no: F.tradeNo, refund_amount: 0.01 }), 600, BaaS.HError)
  } finally {
    globalThis.fetch = real
  }
  assert.equal(e.outcomeUnknown, true, e.message)
  assert.doesNotMatch(e.message, /not sent/)
  assert.equal((await requests()).filter(r => r.path === PATHS.refund).length, 1)
})

test('a signal whose listener methods throw cannot end a call or claim it was not sent; one without removeEventListener is refused', async () => {
  const throwing = {
    aborted: false,
    addEventListener() {
      throw { notSent: 'pretend' }
    },
    removeEventListener() {},
  }
  await clearRequests()
  const r = await BaaS.refund({ trade_no: F.tradeNo, refund_amount: 0.01 }, { signal: throwing })
  assert.equal(r.status, 200)
  const badRemove = { aborted: false, addEventListener() {}, removeEventListener() { throw new Error('no') } }
  assert.equal((await new BaaS.Order().get(F.transactionNo, { signal: badRemove })).status, 200)
  assert.equal((await requests()).length, 2)
  const noRemove = { aborted: false, addEventListener() {} }
  const e = await rejectsHError(new BaaS.Order().get(F.transactionNo, { signal: noRemove }), 605, BaaS.HError)
  assert.equal(e.field, 'callOptions.signal')
  assert.equal((await requests()).length, 2, 'nothing more sent')
})

test('a signal aborted while the host request function runs ends the call at once', async () => {
  const { BaaS: B } = await freshCopy().importESM()
  const c = new AbortController()
  let sent = 0
  // Aborts synchronously inside the request function, which never answers.
  await B.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN, request: () => void (sent++, c.abort('now')) })
  const e = await rejectsHError(settlesBefore(new B.Order().get(F.transactionNo, { signal: c.signal }), 2500), 600, B.HError)
  assert.equal(e.aborted, true)
  assert.equal(e.cause, 'now')
  assert.equal(sent, 1)
})
