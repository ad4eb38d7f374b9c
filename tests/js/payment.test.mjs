// Payment initiation through the packed package in Node, against the
// emulator: BaaS.payment.payWithWechat / payWithAlipay / payWithQQ (what is
// sent, byte for byte; 608 for a gateway the call does not take; every
// 605 of the options with nothing sent; sent once with an unknown outcome
// said so), the weixin_tenpay_js bridge step (607 / 608 / 615 with the
// order's keys in e.data), Order.waitForPayment's outcomes and pace,
// BaaS.order and the top-level BaaS.getOrderList, and BaaS.pay refused
// outside mini-programs.
import { test, before, beforeEach } from 'node:test'
import assert from 'node:assert/strict'
import { importESM } from './install.mjs'
import { EMULATOR, CLIENT_ID, USER_TOKEN, PATHS, reset, requests, clearRequests, fault, rejectsHError } from './emulator.mjs'

const { BaaS } = await importESM()
const { HError } = BaaS

const CONTROL_TOKEN = process.env.BAAS_EMULATOR_CONTROL_TOKEN
const realFetch = globalThis.fetch
/** What WeChat's or Alipay's notify would do: settle the order. */
async function settle(key, outcome = 'success') {
  const res = await realFetch(EMULATOR + '/__emulator/pay', {
    method: 'POST',
    headers: { 'x-emulator-token': CONTROL_TOKEN, 'content-type': 'application/json' },
    body: JSON.stringify({ transaction_no: key, outcome }),
  })
  assert.equal(res.status, 200, await res.text())
}
const posts = async () => (await requests()).filter(r => r.method === 'POST')
const params = (gatewayType, more = {}) => ({ gatewayType, totalCost: 0.1, merchandiseDescription: '深蓝色秋裤', ...more })

before(async () => {
  await reset()
  await BaaS.init(CLIENT_ID, { host: EMULATOR, token: USER_TOKEN })
})
beforeEach(() => clearRequests())

test('each web gateway creates an order: the documented answer, one POST, minapp-sdk\'s body', async () => {
  const cases = [
    ['payWithWechat', 'weixin_tenpay_native', 'code_url', { profitSharing: true }],
    ['payWithWechat', 'weixin_tenpay_wap', 'mweb_url', {}],
    ['payWithAlipay', 'alipay_page', 'payment_url', {}],
    ['payWithAlipay', 'alipay_wap', 'payment_url', {}],
    ['payWithQQ', 'qpay_native', 'code_url', {}],
  ]
  for (const [call, gateway, link, more] of cases) {
    await clearRequests()
    const res = await BaaS.payment[call](params(gateway, { merchandiseSchemaID: 12, merchandiseRecordID: 'r1', merchandiseSnapshot: { size: 'L' }, ...more }))
    assert.deepEqual([res.status, res.statusCode], [201, 201])
    assert.equal(typeof res.headers, 'object')
    const { data } = res
    assert.equal(data[link], `${EMULATOR}/__checkout/${data.transaction_no}`)
    assert.match(data.trade_no, /^\w{32}$/)
    const sent = await posts()
    assert.equal(sent.length, 1)
    assert.equal(sent[0].path, PATHS.orderList)
    assert.equal(sent[0].headers.authorization, 'Hydrogen-r1 ' + USER_TOKEN)
    const sharing = gateway.startsWith('weixin_tenpay_') ? (more.profitSharing ? ',"profit_sharing":true' : '') : ''
    assert.equal(
      sent[0].body,
      `{"gateway_type":"${gateway}","total_cost":0.1,"merchandise_description":"深蓝色秋裤","merchandise_schema_id":12,"merchandise_record_id":"r1","merchandise_snapshot":{"size":"L"}${sharing}}`,
    )
    const order = (await new BaaS.Order().get(data.transaction_no)).data
    assert.deepEqual([order.status, order.gateway_type, order.total_cost, order.profit_sharing], ['pending', gateway, '0.10', !!more.profitSharing])
  }
})

test('a gateway the call does not take is minapp-sdk\'s 608, with nothing sent', async () => {
  for (const [call, gateway] of [
    ['payWithWechat', 'alipay_page'], ['payWithWechat', 'weixin_tenpay'], ['payWithAlipay', 'weixin_tenpay_native'],
    ['payWithAlipay', 'alipay'], ['payWithQQ', 'weixin_tenpay_native'], ['payWithQQ', undefined],
  ]) {
    const e = await rejectsHError(BaaS.payment[call](params(gateway, { totalCost: -1 })), 608, HError)
    assert.equal(e.message, '608: incorrect gateway type', `${call} ${gateway}`)
  }
  assert.deepEqual(await requests(), [])
})

test('every option rule is a 605 naming the field, with nothing sent', async () => {
  const bad = [
    [{ totalCost: 0 }, 'totalCost'], [{ totalCost: -1 }, 'totalCost'], [{ totalCost: 1.005 }, 'totalCost'],
    [{ totalCost: '1.005' }, 'totalCost'], [{ totalCost: '1e3' }, 'totalCost'], [{ totalCost: '' }, 'totalCost'],
    [{ totalCost: NaN }, 'totalCost'], [{ totalCost: 1e21 }, 'totalCost'], [{ totalCost: undefined }, 'totalCost'],
    [{ totalCost: { toJSON: () => '0' } }, 'totalCost'], [{ totalCost: { toJSON() { throw new Error('x') } } }, 'totalCost'],
    [{ merchandiseDescription: '' }, 'merchandiseDescription'], [{ merchandiseDescription: 5 }, 'merchandiseDescription'],
    [{ merchandiseSchemaID: 1.5 }, 'merchandiseSchemaID'], [{ merchandiseSchemaID: '12' }, 'merchandiseSchemaID'],
    [{ merchandiseRecordID: 12 }, 'merchandiseRecordID'], [{ merchandiseSnapshot: [1] }, 'merchandiseSnapshot'],
    [{ merchandiseSnapshot: 'x' }, 'merchandiseSnapshot'], [{ merchandiseSnapshot: { big: 'x'.repeat(200_000) } }, 'big'],
    [{ profitSharing: 'true' }, 'profitSharing'], [{ profitsharing: true }, 'profitsharing'],
  ]
  for (const [more, field] of bad) {
    const e = await rejectsHError(BaaS.payment.payWithWechat(params('weixin_tenpay_native', more)), 605, HError)
    assert.equal(e.field, field, `${Object.keys(more)}: ${e.message}`)
  }
  // profitSharing is refused off WeChat (minapp-sdk would have sent it).
  for (const [call, g] of [['payWithAlipay', 'alipay_page'], ['payWithQQ', 'qpay_native']]) {
    const e = await rejectsHError(BaaS.payment[call](params(g, { profitSharing: false })), 605, HError)
    assert.equal(e.field, 'profitSharing')
  }
  await rejectsHError(BaaS.payment.payWithQQ(null), 605, HError)
  const e = await rejectsHError(BaaS.payment.payWithQQ(params('qpay_native'), { timeout: -1 }), 605, HError)
  assert.match(e.message, /timeout/)
  assert.deepEqual(await requests(), [])
})

test('totalCost as a decimal string or a Big.js-like value is sent as it serialises, and the emulator takes it', async () => {
  const big = { toJSON: () => '15.50', toString: () => '15.5' }
  for (const [cost, text, shown] of [['15', '"15"', '15.00'], [big, '"15.50"', '15.50'], [15, '15', '15.00']]) {
    await clearRequests()
    const { data } = await BaaS.payment.payWithAlipay(params('alipay_page', { totalCost: cost }))
    assert.equal((await posts())[0].body, `{"gateway_type":"alipay_page","total_cost":${text},"merchandise_description":"深蓝色秋裤"}`)
    assert.equal((await new BaaS.Order().get(data.transaction_no)).data.total_cost, shown)
  }
})

test('a create is sent once: a lost answer is 600 / 601 with e.outcomeUnknown', async () => {
  await fault({ kind: 'drop', path_prefix: PATHS.orderList })
  let e = await rejectsHError(BaaS.payment.payWithQQ(params('qpay_native')), 600, HError)
  assert.equal(e.outcomeUnknown, true)
  assert.match(e.message, /outcome is unknown/)
  assert.equal((await posts()).length, 1)
  await clearRequests()
  await fault({ kind: 'delay', delay_ms: 1500, path_prefix: PATHS.orderList })
  e = await rejectsHError(BaaS.payment.payWithQQ(params('qpay_native'), { timeout: 300 }), 601, HError)
  assert.equal(e.outcomeUnknown, true)
  await new Promise(r => setTimeout(r, 1400))
  assert.equal((await posts()).length, 1, 'not retried')
  // A refusal of the server is not unknown.
  await fault({ kind: 'status', status: 400, path_prefix: PATHS.orderList })
  e = await rejectsHError(BaaS.payment.payWithQQ(params('qpay_native')), 400, HError)
  assert.equal(e.outcomeUnknown, undefined)
  // Without a user token the emulator refuses (401).
  await BaaS.init(CLIENT_ID, { host: EMULATOR })
  await rejectsHError(BaaS.payment.payWithQQ(params('qpay_native')), 401, HError)
  await BaaS.init(CLIENT_ID, { host: EMULATOR, token: USER_TOKEN })
})

test('weixin_tenpay_js: WeixinJSBridge ok, cancel (607), failure (608), none (615), each error with the order', async () => {
  // Node has no document: no bridge can appear, 615 at once.
  let e = await rejectsHError(BaaS.payment.payWithWechat(params('weixin_tenpay_js')), 615, HError)
  assert.equal(e.message, '615: gateway type "weixin_tenpay_js" works in WeChat builtin browser only')
  assert.match(e.data.trade_no, /^\w{32}$/)
  assert.match(e.data.transaction_no, /^\w{32}$/)
  const seen = []
  for (const [errMsg, code] of [['get_brand_wcpay_request:ok', 0], ['get_brand_wcpay_request:cancel', 607], ['get_brand_wcpay_request:fail', 608]]) {
    globalThis.WeixinJSBridge = { invoke: (name, p, cb) => (seen.push([name, p]), setTimeout(() => cb({ err_msg: errMsg }), 5)) }
    try {
      const call = BaaS.payment.payWithWechat(params('weixin_tenpay_js'))
      if (!code) {
        const r = await call
        assert.equal(r.err_msg, errMsg)
        assert.match(r.transaction_no, /^\w{32}$/)
        assert.equal(r.trade_no, seen.at(-1)[1].trade_no)
      } else {
        e = await rejectsHError(call, code, HError)
        assert.equal(e.data.trade_no, seen.at(-1)[1].trade_no)
        if (code === 608) assert.equal(e.message, '608: get_brand_wcpay_request:fail')
      }
    } finally {
      delete globalThis.WeixinJSBridge
    }
    const [name, p] = seen.at(-1)
    assert.equal(name, 'getBrandWCPayRequest')
    for (const k of ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign']) assert.equal(typeof p[k], 'string', k)
  }
  // A page that could still get a bridge (a document, no WeixinJSBridge yet): the caller's abort
  // while waiting for it is the caller's 600 (aborted, its reason in e.cause), not a 615, with the order's keys.
  globalThis.document = new EventTarget()
  try {
    const ac = new AbortController()
    const call = BaaS.payment.payWithWechat(params('weixin_tenpay_js'), { signal: ac.signal })
    setTimeout(() => ac.abort(new Error('left the page')), 300)
    e = await rejectsHError(call, 600, HError)
    assert.equal(e.aborted, true)
    assert.equal(e.cause.message, 'left the page')
    assert.match(e.data.transaction_no, /^\w{32}$/)
  } finally {
    delete globalThis.document
  }
})

// The bridge's failure is a text the shell makes (payment-web.js): the core
// hides the token in it as in its own.
test('a WeixinJSBridge that throws the token: the 608 shows <redacted>', async () => {
  globalThis.WeixinJSBridge = { invoke: () => { throw new Error('bridge saw ' + USER_TOKEN) } }
  try {
    const e = await rejectsHError(BaaS.payment.payWithWechat(params('weixin_tenpay_js')), 608, HError)
    assert.equal(e.message, '608: WeixinJSBridge.invoke threw: bridge saw <redacted>')
  } finally {
    delete globalThis.WeixinJSBridge
  }
})

// The package's requests, timed (fetch is looked up at each call).
function timedFetch() {
  const real = globalThis.fetch
  const log = { starts: [], inFlight: 0, maxInFlight: 0 }
  globalThis.fetch = async (...a) => {
    if (String(a[0]).includes('/idp/pay/order/')) log.starts.push(Date.now())
    log.maxInFlight = Math.max(log.maxInFlight, ++log.inFlight)
    try {
      return await real(...a)
    } finally {
      log.inFlight--
    }
  }
  log.restore = () => (globalThis.fetch = real)
  return log
}

test('waitForPayment resolves once the order is paid, one request at a time, never faster than 500 ms', async () => {
  const { data } = await BaaS.payment.payWithWechat(params('weixin_tenpay_native'))
  const log = timedFetch()
  try {
    // Slow answers: still one request in flight.
    await fault({ kind: 'delay', delay_ms: 300, count: 2, path_prefix: PATHS.order(data.transaction_no) })
    setTimeout(() => settle(data.transaction_no), 1800)
    const res = await new BaaS.Order().waitForPayment(data.transaction_no, { interval: 500, timeout: 10000 })
    assert.equal(res.data.status, 'success')
    assert.equal(res.status, 200)
    assert.equal(log.maxInFlight, 1)
    assert.ok(log.starts.length >= 3, `${log.starts.length} polls`)
    for (let i = 1; i < log.starts.length; i++) assert.ok(log.starts[i] - log.starts[i - 1] >= 495, `gap ${log.starts[i] - log.starts[i - 1]} ms`)
  } finally {
    log.restore()
  }
})

test('waitForPayment: 608 when the order failed, 601 with the last order on timeout, 600 aborted, 605 for bad options', async () => {
  const make = async () => (await BaaS.payment.payWithAlipay(params('alipay_page'))).data.transaction_no
  const failed = await make()
  setTimeout(() => settle(failed, 'failed'), 300)
  let e = await rejectsHError(new BaaS.Order().waitForPayment(failed, { interval: 500 }), 608, HError)
  assert.equal(e.data.status, 'failed')
  assert.equal(e.data.transaction_no, failed)

  const pending = await make()
  const t0 = Date.now()
  e = await rejectsHError(new BaaS.Order().waitForPayment(pending, { interval: 500, timeout: 1200 }), 601, HError)
  assert.equal(e.data.status, 'pending')
  assert.equal(e.data.transaction_no, pending)
  assert.ok(Date.now() - t0 >= 1150 && Date.now() - t0 < 3000, `${Date.now() - t0} ms`)

  const ac = new AbortController()
  setTimeout(() => ac.abort(new Error('left the page')), 700)
  e = await rejectsHError(new BaaS.Order().waitForPayment(pending, { signal: ac.signal }), 600, HError)
  assert.equal(e.aborted, true)
  assert.equal(e.cause.message, 'left the page')
  // Already aborted: the first get is not sent.
  await clearRequests()
  e = await rejectsHError(new BaaS.Order().waitForPayment(pending, { signal: ac.signal }), 600, HError)
  assert.equal(e.aborted, true)
  assert.deepEqual(await requests(), [])

  // A signal whose listener methods throw cannot end the wait, and nothing but an HError comes of it
  // (no uncaught exception from the sleep's timer either).
  const odd = { aborted: false, addEventListener() { throw new Error('add') }, removeEventListener() { throw new Error('remove') } }
  e = await rejectsHError(new BaaS.Order().waitForPayment(pending, { signal: odd, interval: 500, timeout: 1200 }), 601, HError)
  assert.equal(e.data.status, 'pending')

  for (const [o, field] of [
    [{ interval: 100 }, 'options.interval'], [{ interval: 500.5 }, 'options.interval'], [{ timeout: 0 }, 'options.timeout'],
    [{ signal: {} }, 'options.signal'], [{ every: 1 }, 'options.every'], [null, 'options'],
  ]) {
    e = await rejectsHError(new BaaS.Order().waitForPayment(pending, o), 605, HError)
    assert.equal(e.field, field)
  }
  e = await rejectsHError(new BaaS.Order().waitForPayment(''), 605, HError)
  assert.equal(e.field, 'transactionID')
  // A 404 ends the wait at once.
  await rejectsHError(new BaaS.Order().waitForPayment('no-such-order'), 404, HError)
})

// The options are the core's to check (src/payment.rs WAIT, the signal at
// the boundary as every call's): the 605 names the field, and no request goes
// out, not even the first read of the order.
test('waitForPayment\'s options are checked before anything is sent: each 605 names the field', async () => {
  const { data } = await BaaS.payment.payWithWechat(params('weixin_tenpay_native'))
  await clearRequests()
  const noRemove = { aborted: false, addEventListener() {} }
  for (const [o, field, message] of [
    [{ interval: 499 }, 'options.interval', '605: options.interval: must be an integer from 500 to 2147483647 (ms)'],
    [{ timeout: 2 ** 31 }, 'options.timeout', '605: options.timeout: must be an integer from 1 to 2147483647 (ms)'],
    [{ timeout: '1000' }, 'options.timeout', '605: options.timeout: must be an integer from 1 to 2147483647 (ms)'],
    [{ get interval() { throw new Error('no') } }, 'options.interval', '605: options.interval: must be an integer from 500 to 2147483647 (ms)'],
    [{ signal: noRemove }, 'options.signal', '605: options.signal: must be an AbortSignal'],
    [{ signal: null }, 'options.signal', '605: options.signal: must be an AbortSignal'],
    [{ interval: 1000, signal: new AbortController().signal, every: 1 }, 'options.every', '605: unknown field options.every'],
    ['5', 'options', '605: options: must be an object'],
  ]) {
    const e = await rejectsHError(new BaaS.Order().waitForPayment(data.transaction_no, o), 605, HError)
    assert.equal(e.field, field)
    assert.equal(e.message, message)
  }
  assert.deepEqual(await requests(), [], 'nothing sent')
  // The defaults (tables.js, from the core): a paid order resolves at the first read.
  await settle(data.transaction_no)
  const res = await new BaaS.Order().waitForPayment(data.transaction_no)
  assert.equal(res.data.status, 'success')
  assert.equal((await requests()).length, 1)
})

test('BaaS.order({ transactionID }) and the top-level BaaS.getOrderList(params) send what minapp-sdk sends', async () => {
  const { data } = await BaaS.payment.payWithQQ(params('qpay_native'))
  await clearRequests()
  const res = await BaaS.order({ transactionID: data.transaction_no })
  assert.equal(res.data.trade_no, data.trade_no)
  const list = await BaaS.getOrderList({ status: 'pending', gateway_type: 'qpay_native' })
  assert.ok(list.data.objects.some(o => o.transaction_no === data.transaction_no))
  await BaaS.getOrderList()
  const [get, withParams, bare] = await requests()
  assert.equal(get.path, PATHS.order(data.transaction_no))
  assert.equal(withParams.path, PATHS.orderList)
  assert.equal(withParams.query, 'status=pending&gateway_type=qpay_native')
  assert.equal(bare.query, '')
  await rejectsHError(BaaS.order({}), 605, HError)
  await rejectsHError(BaaS.getOrderList({ where: {} }), 605, HError)
})

test('BaaS.pay is for mini-programs: 611 in Node, nothing sent', async () => {
  const e = await rejectsHError(BaaS.pay({ totalCost: 1, merchandiseDescription: 'd' }), 611, HError)
  assert.match(e.message, /mini-programs/)
  await rejectsHError(BaaS.pay({ totalCost: 1, merchandiseDescription: 'd' }, 'not a function'), 605, HError)
  assert.deepEqual(await requests(), [])
})

// The options are read once: what the core checked is what the loop uses. A
// getter that answers 2000 at its first read and 0 after must not make the
// loop poll without pause (it sent hundreds of GETs in a second when the
// shell read the options again after the check).
test('waitForPayment reads its options once: the interval the core checked is the one the loop waits', async () => {
  const { data } = await BaaS.payment.payWithWechat(params('weixin_tenpay_native'))
  await clearRequests()
  let reads = 0
  const options = { timeout: 1000, get interval() { return reads++ ? 0 : 2000 } }
  await rejectsHError(new BaaS.Order().waitForPayment(data.transaction_no, options), 601, HError)
  assert.equal(reads, 1, 'interval read once')
  assert.equal((await requests()).length, 1, 'one GET within a 1000 ms wait at a 2000 ms interval')
})
