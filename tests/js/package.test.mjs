// The packed npm package, installed from its tarball, against the emulator:
// entries, init, resolve shape, validation, errors, faults, headers, tokens,
// query state, refund arithmetic, profit sharing and endpoint overrides.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { importESM, requireCJS, freshCopy, installedManifest, packedFiles } from './install.mjs'
import {
  EMULATOR, CLIENT_ID, ADMIN_TOKEN, USER_TOKEN, PATHS, FIXTURES as F,
  reset, requests, clearRequests, fault, rejectsHError, throwsHError,
} from './emulator.mjs'

const esm = await importESM()
const { BaaS } = esm
const { HError } = BaaS

// Every HError seen in this file: none may contain a token.
const seen = []
const rejects = async (promise, code, message) => {
  const e = await rejectsHError(promise, code, HError, message)
  seen.push(e)
  return e
}
const throws = (fn, code, message) => {
  const e = throwsHError(fn, code, HError, message)
  seen.push(e)
  return e
}

const initAdmin = (options = {}) => BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN, ...options })
const posts = async path => (await requests()).filter(r => r.method === 'POST' && r.path === path)
const queryOf = r => Object.fromEntries(new URLSearchParams(r.query))
const wxReceiver = (over = {}) => ({ type: 'MERCHANT_ID', account: F.wechatMerchant, amount: 1000, description: '分给商户', ...over })
const aliReceiver = (over = {}) => ({ type: 'userId', account: F.alipayUserId, amount: 1000, description: '分给支付宝用户', ...over })
const wxOptions = (over = {}) => ({ trade_no: F.wxShare1, appid: F.appid, receivers: [wxReceiver()], ...over })
const aliOptions = (over = {}) => ({ trade_no: F.aliShare, receivers: [aliReceiver()], ...over })

function assertResponse(res) {
  assert.equal(typeof res, 'object')
  for (const k of ['data', 'status', 'statusCode', 'headers']) assert.ok(k in res, `response has ${k}`)
  assert.equal(res.status, 200)
  assert.equal(res.statusCode, 200)
  assert.equal(Object.getPrototypeOf(res.headers), Object.prototype, 'headers is a plain object')
  assert.match(res.headers['content-type'], /^application\/json/)
}

function assertNoTokenInUrls(reqs) {
  for (const r of reqs) {
    for (const t of [ADMIN_TOKEN, USER_TOKEN]) {
      assert.ok(!r.path.includes(t) && !r.query.includes(t), `token in URL ${r.path}?${r.query}`)
    }
  }
}

before(async () => {
  await reset()
})

test('the tarball holds the package files and installs offline', () => {
  const files = packedFiles()
  for (const f of ['package.json', 'index.js', 'index.cjs', 'index.d.ts', 'miniprogram/index.js', 'miniprogram/baas_order_bg.wasm.br', 'baas_order_bg.wasm']) {
    assert.ok(files.includes(f), `${f} is packed (got ${files.join(', ')})`)
  }
  const manifest = installedManifest()
  assert.equal(manifest.name, 'baas-order')
  assert.match(manifest.version, /^\d+\.\d+\.\d+/)
  assert.notEqual(manifest.version, '0.0.0')
})

test('ESM named and default exports, CommonJS require', () => {
  assert.equal(typeof BaaS, 'object')
  assert.equal(esm.default, BaaS)
  assert.equal(esm.Order, BaaS.Order)
  assert.equal(esm.HError, BaaS.HError)
  for (const f of ['init', 'setToken', 'clearToken', 'refund', 'Order', 'HError']) {
    assert.equal(typeof BaaS[f], 'function', `BaaS.${f}`)
  }
  const cjs = requireCJS()
  assert.equal(typeof cjs.BaaS, 'object')
  assert.equal(cjs.default, cjs.BaaS)
  for (const f of ['init', 'setToken', 'clearToken', 'refund', 'Order', 'HError']) {
    assert.equal(typeof cjs.BaaS[f], 'function', `require('baas-order').BaaS.${f}`)
  }
  const e = new BaaS.HError(605, 'x')
  assert.ok(e instanceof Error)
  assert.equal(e.code, 605)
  assert.equal(e.message, '605: x')
})

test('before init every call rejects HError 602 (ESM and CommonJS) and nothing is sent', async () => {
  const copy = freshCopy()
  const { BaaS: fresh } = await copy.importESM()
  const { BaaS: freshCjs } = copy.requireCJS()
  await clearRequests()
  for (const B of [fresh, freshCjs]) {
    const order = new B.Order()
    const calls = [
      () => order.getOrderList(),
      () => order.getOrderList({ gateway_type: 'alipay' }),
      () => order.get(F.transactionNo),
      () => B.refund({ order_id: F.orderId }),
      () => order.wechatPay.profitSharing(wxOptions()),
      () => order.wechatPay.multiProfitSharing(wxOptions({ trade_no: F.wxShare2 })),
      () => order.alipay.profitSharing(aliOptions()),
    ]
    for (const call of calls) {
      const p = call()
      assert.ok(p instanceof Promise, 'calls answer with a Promise even before init')
      const e = await rejectsHError(p, 602, B.HError)
      assert.ok(e instanceof Error)
    }
    throwsHError(() => B.setToken(ADMIN_TOKEN), 602, B.HError)
    throwsHError(() => B.clearToken(), 602, B.HError)
    throwsHError(() => new B.Order().offset(1), 602, B.HError)
  }
  // A failed init leaves the SDK uninitialised: the calls reject with its
  // HError, as they do while the wasm loads (the same either way).
  const refused = await rejectsHError(fresh.init(42, { host: EMULATOR }), 605, fresh.HError)
  assert.equal(await new fresh.Order().getOrderList().catch(e => e), refused)
  assert.deepEqual(await requests(), [], 'nothing reached the server')

  // Both entries work once initialised.
  await freshCjs.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  const res = await new freshCjs.Order().getOrderList({ id: F.orderId })
  assertResponse(res)
  assert.equal(res.data.objects[0].id, F.orderId)
  await fresh.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  assertResponse(await new fresh.Order().get(F.transactionNo))
})

test('init validates clientID and options with HError 605 naming the field', async () => {
  await clearRequests()
  await rejects(BaaS.init(), 605, /client ?id/i)
  await rejects(BaaS.init(''), 605, /client ?id/i)
  await rejects(BaaS.init(42), 605, /client ?id/i)
  await rejects(BaaS.init({ clientID: CLIENT_ID }), 605, /client ?id/i)
  await rejects(BaaS.init(CLIENT_ID, 'fast'), 605, 'options')
  await rejects(BaaS.init(CLIENT_ID, { host: 42 }), 605, 'host')
  await rejects(BaaS.init(CLIENT_ID, { host: EMULATOR, timeout: -1 }), 605, 'timeout')
  await rejects(BaaS.init(CLIENT_ID, { host: EMULATOR, timeout: 'soon' }), 605, 'timeout')
  await rejects(BaaS.init(CLIENT_ID, { host: EMULATOR, token: 42 }), 605, 'token')
  await rejects(BaaS.init(CLIENT_ID, { host: EMULATOR, env: 42 }), 605, 'env')
  assert.equal(await initAdmin(), undefined, 'init resolves with nothing')
  assert.equal(await initAdmin({ timeout: 5000 }), undefined, 'init again reconfigures')
  assert.deepEqual(await requests(), [])
})

test('every call resolves { data, status, statusCode, headers }', async () => {
  await reset()
  await initAdmin()
  const list = await new BaaS.Order().getOrderList()
  assertResponse(list)
  assert.deepEqual(Object.keys(list.data.meta).sort(), ['limit', 'next', 'offset', 'previous', 'total_count'])
  assert.equal(list.data.meta.limit, 20)
  assert.equal(list.data.meta.offset, 0)
  assert.equal(list.data.objects.length, 20)
  assert.ok(list.data.meta.total_count > 20)

  await clearRequests()
  const one = await new BaaS.Order().get(F.transactionNo)
  assertResponse(one)
  assert.equal(one.data.transaction_no, F.transactionNo)
  const [req] = await requests()
  assert.equal(req.method, 'GET')
  assert.equal(req.path, PATHS.order(F.transactionNo))

  const refund = await BaaS.refund({ trade_no: F.tradeNo, refund_amount: 1 })
  assertResponse(refund)
  assert.equal(refund.data.status, 'succeed')
  assert.equal(refund.data.refund_amount, '1.00')
})

test('requests carry the X-Hydrogen-* headers, Authorization and a JSON body; the token stays out of URLs', async () => {
  await reset()
  const version = installedManifest().version
  await initAdmin({ env: 'env-for-tests' })
  await new BaaS.Order().getOrderList({ status: 'success' })
  await BaaS.refund({ trade_no: F.tradeNo, refund_amount: 0.5, memo: '测试退款' })
  let reqs = await requests()
  assert.equal(reqs.length, 2)
  for (const r of reqs) {
    assert.equal(r.headers['x-hydrogen-client-id'], CLIENT_ID)
    assert.equal(r.headers['x-hydrogen-client-version'], version)
    assert.equal(r.headers['x-hydrogen-client-platform'], 'NODE')
    assert.equal(r.headers['x-hydrogen-env-id'], 'env-for-tests')
    assert.equal(r.headers.authorization, `Hydrogen-r1 ${ADMIN_TOKEN}`)
  }
  const post = reqs.find(r => r.method === 'POST')
  assert.equal(post.path, PATHS.refund)
  assert.match(post.headers['content-type'], /^application\/json/)
  const body = JSON.parse(post.body)
  assert.equal(body.trade_no, F.tradeNo)
  assert.equal(body.memo, '测试退款')
  assert.equal(Number(body.refund_amount), 0.5)
  assertNoTokenInUrls(reqs)

  await clearRequests()
  await initAdmin()
  await new BaaS.Order().getOrderList()
  reqs = await requests()
  assert.equal(reqs.length, 1)
  assert.ok(!('x-hydrogen-env-id' in reqs[0].headers), 'no env header without env')
  assertNoTokenInUrls(reqs)
})

test('setToken and clearToken choose the Authorization header', async () => {
  await reset()
  await BaaS.init(CLIENT_ID, { host: EMULATOR })
  const order = new BaaS.Order()
  const e = await rejects(order.getOrderList(), 401)
  assert.equal(typeof e.data.error_msg, 'string')
  let [r] = await requests()
  assert.ok(!('authorization' in r.headers), 'no token, no Authorization')

  assert.equal(BaaS.setToken(ADMIN_TOKEN), undefined)
  const all = await order.getOrderList({ limit: 1000 })
  assert.ok(all.data.objects.some(o => o.created_by_id !== 1), 'the admin sees every user')

  BaaS.setToken(USER_TOKEN)
  await clearRequests()
  const mine = await order.getOrderList({ limit: 1000 })
  assert.ok(mine.data.objects.length > 0)
  assert.ok(mine.data.objects.every(o => o.created_by_id === 1), 'a user sees only its orders')
  assert.ok(mine.data.meta.total_count < all.data.meta.total_count)
  ;[r] = await requests()
  assert.equal(r.headers.authorization, `Hydrogen-r1 ${USER_TOKEN}`)
  const denied = await rejects(BaaS.refund({ order_id: F.orderId }), 403)
  assert.equal(typeof denied.data.error_msg, 'string')
  assert.equal(denied.message, `403: ${denied.data.error_msg}`)

  assert.equal(BaaS.clearToken(), undefined)
  await clearRequests()
  await rejects(order.getOrderList(), 401)
  ;[r] = await requests()
  assert.ok(!('authorization' in r.headers))
})

test('offset, limit and orderBy chain, validate, and reset after getOrderList', async () => {
  await reset()
  await initAdmin()
  const order = new BaaS.Order()
  assert.equal(order.offset(2), order)
  assert.equal(order.limit(3), order)
  assert.equal(order.orderBy('-id'), order)
  const res = await order.getOrderList({ status: 'success' })
  assert.equal(res.data.meta.limit, 3)
  assert.equal(res.data.meta.offset, 2)
  assert.equal(res.data.objects.length, 3)
  const ids = res.data.objects.map(o => o.id)
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'ordered by -id')
  const again = await order.getOrderList()
  assert.equal(again.data.meta.limit, 20)
  assert.equal(again.data.meta.offset, 0)
  await order.orderBy(['-paid_at', 'id']).getOrderList()
  const reqs = await requests()
  assert.deepEqual(queryOf(reqs[0]), { limit: '3', offset: '2', where: '{}', order_by: '-id', status: 'success' })
  assert.deepEqual(queryOf(reqs[1]), { limit: '20', offset: '0', where: '{}' })
  assert.deepEqual(queryOf(reqs[2]), { limit: '20', offset: '0', where: '{}', order_by: '-paid_at,id' })
  // The query starts again after a failed call too.
  await rejects(new BaaS.Order().limit(5).getOrderList({ bad: {} }), 605, 'bad')

  for (const bad of [-1, 1.5, '20', NaN, Infinity, null, undefined]) {
    throws(() => new BaaS.Order().offset(bad), 605, 'offset')
    throws(() => new BaaS.Order().limit(bad), 605, 'limit')
  }
})

test('getOrderList filters by the documented fields', async () => {
  await reset()
  await initAdmin()
  const order = new BaaS.Order()
  const ali = await order.getOrderList({ gateway_type: 'alipay', limit: 1000 })
  assert.ok(ali.data.objects.length > 0)
  assert.ok(ali.data.objects.every(o => o.gateway_type === 'alipay'))
  const byId = await order.getOrderList({ id: F.orderId })
  assert.equal(byId.data.meta.total_count, 1)
  assert.equal(byId.data.objects[0].total_cost, '398.00')
  const byNo = await order.getOrderList({ transaction_no: F.sharedNo })
  assert.equal(byNo.data.objects.length, 1)
  assert.equal(byNo.data.objects[0].gateway_type, 'alipay')
  assert.equal(byNo.data.objects[0].total_cost, '88.00')
  const pending = await order.getOrderList({ trade_no: F.pending })
  assert.equal(pending.data.objects[0].status, 'pending')
  assert.equal(pending.data.objects[0].paid_at, null)
  const sharing = await order.getOrderList({ trade_no: F.wxShare1 })
  assert.equal(sharing.data.objects[0].profit_sharing, true)
  assert.equal(sharing.data.objects[0].total_cost, '100.00')
  const paid = await order.getOrderList({ paid_at__gte: 1, status: 'success', limit: 1000 })
  assert.ok(paid.data.objects.length > 0)
  assert.ok(paid.data.objects.every(o => o.status === 'success' && o.paid_at >= 1))
})

test('HError 605 before sending: every validation rule names its field', async () => {
  await reset()
  await initAdmin()
  const order = new BaaS.Order()
  // n receivers, each once (a WeChat sharing names a receiver once).
  const many = n => Array.from({ length: n }, (_, i) => wxReceiver({ amount: 1, account: `19000${String(i).padStart(5, '0')}` }))
  const cases = [
    // getOrderList(params)
    [() => order.getOrderList('gateway_type=alipay'), 'params'],
    [() => order.getOrderList(42), 'params'],
    [() => order.getOrderList({ where: { id: 1 } }), 'where'],
    [() => order.getOrderList({ ids: [1, 2] }), 'ids'],
    [() => order.getOrderList({ fn: () => 1 }), 'fn'],
    // refund(data)
    [() => BaaS.refund(), 'data'],
    [() => BaaS.refund('29973'), 'data'],
    [() => BaaS.refund({}), 'order_id'],
    [() => BaaS.refund({ memo: 'x' }), 'order_id'],
    [() => BaaS.refund({ order_id: 0 }), 'order_id'],
    [() => BaaS.refund({ order_id: -3 }), 'order_id'],
    [() => BaaS.refund({ order_id: 1.5 }), 'order_id'],
    [() => BaaS.refund({ order_id: '29973' }), 'order_id'],
    [() => BaaS.refund({ trade_no: '' }), 'trade_no'],
    [() => BaaS.refund({ trade_no: 42 }), 'trade_no'],
    [() => BaaS.refund({ transaction_no: '' }), 'transaction_no'],
    [() => BaaS.refund({ order_id: F.orderId, refund_amount: 0 }), 'refund_amount'],
    [() => BaaS.refund({ order_id: F.orderId, refund_amount: -1 }), 'refund_amount'],
    [() => BaaS.refund({ order_id: F.orderId, refund_amount: 1.234 }), 'refund_amount'],
    [() => BaaS.refund({ order_id: F.orderId, refund_amount: '10' }), 'refund_amount'],
    [() => BaaS.refund({ order_id: F.orderId, refund_amount: NaN }), 'refund_amount'],
    [() => BaaS.refund({ order_id: F.orderId, memo: 5 }), 'memo'],
    // WeChat single and multi sharing
    ...['profitSharing', 'multiProfitSharing'].flatMap(m => {
      const call = o => () => order.wechatPay[m](o)
      return [
        [call(undefined), 'options'],
        [call(wxOptions({ trade_no: '' })), 'trade_no'],
        [call(wxOptions({ trade_no: undefined })), 'trade_no'],
        [call(wxOptions({ appid: undefined })), 'appid'],
        [call(wxOptions({ appid: '' })), 'appid'],
        [call(wxOptions({ receivers: [] })), 'receivers'],
        [call(wxOptions({ receivers: wxReceiver() })), 'receivers'],
        [call(wxOptions({ receivers: undefined })), 'receivers'],
        [call(wxOptions({ receivers: many(51) })), 'receivers'],
        [call(wxOptions({ receivers: [wxReceiver({ type: 'PERSONAL_WECHATID' })] })), 'receivers[0].type'],
        [call(wxOptions({ receivers: [wxReceiver({ type: 'userId' })] })), 'receivers[0].type'],
        [call(wxOptions({ receivers: [wxReceiver({ type: undefined })] })), 'receivers[0].type'],
        [call(wxOptions({ receivers: [wxReceiver({ account: '' })] })), 'receivers[0].account'],
        [call(wxOptions({ receivers: [wxReceiver({ description: '' })] })), 'receivers[0].description'],
        [call(wxOptions({ receivers: [wxReceiver({ amount: 0 })] })), 'receivers[0].amount'],
        [call(wxOptions({ receivers: [wxReceiver({ amount: -10 })] })), 'receivers[0].amount'],
        [call(wxOptions({ receivers: [wxReceiver({ amount: 10.5 })] })), 'receivers[0].amount'],
        [call(wxOptions({ receivers: [wxReceiver({ amount: '10' })] })), 'receivers[0].amount'],
        [call(wxOptions({ receivers: [wxReceiver({ amount: 2 ** 53 })] })), 'receivers[0].amount'],
        [call(wxOptions({ receivers: [wxReceiver(), wxReceiver({ amount: 0 })] })), 'receivers[1].amount'],
        [call(wxOptions({ receivers: [wxReceiver(), wxReceiver({ amount: 5 })] })), 'receivers[1].account'],
      ]
    }),
    // Alipay sharing
    [() => order.alipay.profitSharing(aliOptions({ trade_no: '' })), 'trade_no'],
    [() => order.alipay.profitSharing(aliOptions({ receivers: [] })), 'receivers'],
    [() => order.alipay.profitSharing(aliOptions({ receivers: [aliReceiver({ type: 'MERCHANT_ID' })] })), 'receivers[0].type'],
    [() => order.alipay.profitSharing(aliOptions({ receivers: [aliReceiver({ account: '' })] })), 'receivers[0].account'],
    [() => order.alipay.profitSharing(aliOptions({ receivers: [aliReceiver({ description: '' })] })), 'receivers[0].description'],
    [() => order.alipay.profitSharing(aliOptions({ receivers: [aliReceiver({ amount: 1.5 })] })), 'receivers[0].amount'],
  ]
  await clearRequests()
  const wrong = []
  for (const [call, field] of cases) {
    const e = await call().then(
      r => ({ message: `resolved with status ${r.status}` }),
      e => e,
    )
    seen.push(e)
    const ok = e instanceof HError && e.code === 605 && e.message.startsWith('605: ') && e.message.includes(field)
    if (!ok) wrong.push(`${call.toString().replace(/\s+/g, ' ')} -> expected 605 naming ${field}, got ${e.message}`)
  }
  assert.deepEqual(wrong, [], 'every invalid call rejects 605 naming its field')
  assert.deepEqual(await requests(), [], 'no invalid call reached the server')

  // The boundary values pass validation (the server may still refuse them).
  for (const r of many(50)) {
    await BaaS.wechat.profitSharing.addReceiver({ mch_id: '1501889000', appid: F.appid, type: r.type, account: r.account, relation_type: 'STORE', name: '门店' })
  }
  await clearRequests()
  const fifty = await order.wechatPay.multiProfitSharing(wxOptions({ trade_no: F.wxShare2, receivers: many(50) }))
  assert.equal(fifty.data.return_code, 'SUCCESS', '50 WeChat receivers pass validation and the server shares to them')
  assert.equal((await requests()).length, 1)
  await clearRequests()
  const fine = await BaaS.refund({ trade_no: F.tradeNo, refund_amount: 0.01 })
  assert.equal(fine.data.refund_amount, '0.01')
})

test('4xx replies reject with the status and the server error_msg in message and data', async () => {
  await reset()
  await initAdmin()
  const notFound = await rejects(BaaS.refund({ order_id: 999999999 }), 404)
  assert.equal(typeof notFound.data.error_msg, 'string')
  assert.ok(notFound.data.error_msg.length > 0)
  assert.equal(notFound.message, `404: ${notFound.data.error_msg}`)
  const unpaid = await rejects(BaaS.refund({ trade_no: F.pending }), 400)
  assert.equal(typeof unpaid.data.error_msg, 'string')

  BaaS.setToken(USER_TOKEN)
  const forbidden = await rejects(BaaS.refund({ trade_no: F.tradeNo }), 403)
  assert.equal(forbidden.message, `403: ${forbidden.data.error_msg}`)
  await rejects(new BaaS.Order().wechatPay.profitSharing(wxOptions()), 403)

  await BaaS.init('no-such-client-id', { host: EMULATOR, token: ADMIN_TOKEN })
  const unknownClient = await rejects(new BaaS.Order().getOrderList(), 401)
  assert.equal(unknownClient.message, `401: ${unknownClient.data.error_msg}`)
})

test('network failure is HError 600, timeout HError 601', async () => {
  await reset()
  await BaaS.init(CLIENT_ID, { host: 'http://127.0.0.1:1', token: ADMIN_TOKEN })
  await rejects(new BaaS.Order().getOrderList(), 600)

  await initAdmin({ timeout: 300 })
  await fault({ kind: 'delay', delay_ms: 1500, path_prefix: PATHS.orderList })
  await rejects(new BaaS.Order().getOrderList(), 601)
  assertResponse(await new BaaS.Order().getOrderList(), 'the next call works')
})

test('malformed and 5xx replies reject with an HError and the SDK keeps working', async () => {
  await reset()
  await initAdmin()
  await fault({ kind: 'malformed', path_prefix: PATHS.orderList })
  const order = new BaaS.Order()
  let err
  await assert.rejects(order.getOrderList(), e => ((err = e), true))
  assert.equal(Object.getPrototypeOf(err), HError.prototype, `malformed body gives an HError, got ${err}`)
  assert.equal(err.code, 600, 'a 2xx whose body is not JSON is a 600')
  assertResponse(await order.getOrderList())

  await fault({ kind: 'status', status: 503, path_prefix: PATHS.orderList })
  const unavailable = await rejects(order.getOrderList(), 503)
  assert.deepEqual(unavailable.data, { error_msg: 'injected fault' })
  await fault({ kind: 'status', status: 500, path_prefix: PATHS.order(F.transactionNo) })
  await rejects(order.get(F.transactionNo), 500)
  assertResponse(await order.get(F.transactionNo))
})

function moneyCalls() {
  const order = new BaaS.Order()
  return [
    ['refund', PATHS.refund, () => BaaS.refund({ trade_no: F.tradeNo, refund_amount: 1 })],
    ['wechat single sharing', PATHS.wechatProfitSharing, () => order.wechatPay.profitSharing(wxOptions())],
    ['wechat multi sharing', PATHS.wechatMultiProfitSharing, () => order.wechatPay.multiProfitSharing(wxOptions({ trade_no: F.wxShare2 }))],
    ['alipay sharing', PATHS.alipayProfitSharing, () => order.alipay.profitSharing(aliOptions())],
  ]
}

test('money-moving POSTs lost or timed out are sent exactly once and the message says the outcome is unknown', async () => {
  const calls = moneyCalls()
  const DELAY = 800
  const faults = [
    ['drop', { kind: 'drop' }, 600],
    ['delay beyond the timeout', { kind: 'delay', delay_ms: DELAY }, 601],
  ]
  await unknownOutcomes(calls, faults, DELAY)
})

test('money-moving POSTs answered 500 are sent exactly once and the message says the outcome is unknown', async () => {
  await unknownOutcomes(moneyCalls(), [['status 500', { kind: 'status', status: 500 }, 500]], 0)
})

async function unknownOutcomes(calls, faults, DELAY) {
  const order = new BaaS.Order()
  for (const [name, path, call] of calls) {
    for (const [fname, spec, code] of faults) {
      await reset()
      await initAdmin({ timeout: 250 })
      await fault({ ...spec, path_prefix: path })
      const started = Date.now()
      const e = await rejects(call(), code)
      assert.equal((await posts(path)).length, 1, `${name} under ${fname} was sent once`)
      assertResponse(await order.getOrderList({ limit: 1 }))
      assert.equal((await posts(path)).length, 1, `${name} under ${fname} was not retried`)
      assert.match(e.message, /unknown/i, `${name} under ${fname}: the message says the outcome is unknown: ${e.message}`)
      assert.equal(e.outcomeUnknown, true, `${name} under ${fname}: e.outcomeUnknown`)
      // Let a delayed request finish on the server before the next reset.
      const rest = DELAY + 100 - (Date.now() - started)
      if (spec.kind === 'delay' && rest > 0) await new Promise(r => setTimeout(r, rest))
    }
  }
  await reset()
}

// The refund and sharing rules (caps, remainders, wrong gateway, closed orders)
// are the emulator's, tested natively in emulator/tests; the seed examples run
// each call end to end. Here: what the package sends and resolves for each.
test('refund and profit sharing: the body sent and the documented reply', async () => {
  await reset()
  await initAdmin()
  await clearRequests()
  const first = await BaaS.refund({ order_id: F.orderId, refund_amount: 100.5, memo: '部分退款' })
  assertResponse(first)
  assert.equal(first.data.status, 'succeed')
  assert.equal(first.data.refund_amount, '100.50')
  assert.equal(typeof first.data.refund_no, 'string')
  const [refund] = await posts(PATHS.refund)
  assert.equal(refund.body, '{"refund_amount":100.5,"order_id":29973,"memo":"部分退款"}')

  const order = new BaaS.Order()
  const receivers = [wxReceiver({ amount: 2000 }), wxReceiver({ type: 'PERSONAL_OPENID', account: F.wechatOpenid, amount: 1000 })]
  const single = await order.wechatPay.profitSharing(wxOptions({ receivers }))
  assertResponse(single)
  assert.deepEqual(Object.keys(single.data).sort(), ['appid', 'mch_id', 'return_code', 'trade_no', 'wechat_order_no'])
  assert.equal(single.data.return_code, 'SUCCESS')
  const [sent] = await posts(PATHS.wechatProfitSharing)
  assert.deepEqual(JSON.parse(sent.body), { trade_no: F.wxShare1, appid: F.appid, receivers })

  const multi = await order.wechatPay.multiProfitSharing(wxOptions({ trade_no: F.wxShare2 }))
  assert.equal(multi.data.return_code, 'SUCCESS')
  assert.equal((await posts(PATHS.wechatMultiProfitSharing)).length, 1)

  const ali = await order.alipay.profitSharing(aliOptions({
    receivers: [aliReceiver({ amount: 6000 }), aliReceiver({ type: 'loginName', account: F.alipayLogin, amount: 4000 })],
  }))
  assertResponse(ali)
  assert.deepEqual(Object.keys(ali.data).sort(), ['return_code', 'trade_no'])
  assert.equal(ali.data.return_code, '10000')
  assert.equal((await posts(PATHS.alipayProfitSharing)).length, 1)

  // A refusal by the server keeps its error_msg in message and data.
  const over = await rejects(BaaS.refund({ order_id: F.orderId, refund_amount: 297.51 }), 400)
  assert.equal(typeof over.data.error_msg, 'string')
})

test('endpoints in init override the API paths; init again restores them', async () => {
  await reset()
  await initAdmin({ endpoints: { orderList: '/custom/orders/', order: '/custom/orders/:transactionID/detail/', refund: '/custom/refund/' } })
  const order = new BaaS.Order()
  const e = await rejects(order.getOrderList(), 404)
  assert.equal(typeof e.data.error_msg, 'string')
  await rejects(order.get('abc123'), 404)
  await rejects(BaaS.refund({ order_id: F.orderId, refund_amount: 1 }), 404)
  // Not overridden: still the default path.
  const r = await order.alipay.profitSharing(aliOptions())
  assert.equal(r.data.return_code, '10000')
  let reqs = await requests()
  assert.deepEqual(reqs.map(x => [x.method, x.path]), [
    ['GET', '/custom/orders/'],
    ['GET', '/custom/orders/abc123/detail/'],
    ['POST', '/custom/refund/'],
    ['POST', PATHS.alipayProfitSharing],
  ])
  assert.equal(queryOf(reqs[0]).limit, '20')

  await clearRequests()
  await initAdmin()
  await order.getOrderList()
  reqs = await requests()
  assert.equal(reqs[0].path, PATHS.orderList)
})

test('no token ever appears in an error message or a URL', async () => {
  const secret = 'secret-token-0123456789abcdef'
  await reset()
  await BaaS.init(CLIENT_ID, { host: EMULATOR, token: secret, timeout: 300 })
  const order = new BaaS.Order()
  const errors = [
    await rejects(order.getOrderList(), 401),
    await rejects(BaaS.refund({ order_id: F.orderId }), 401),
    await rejects(BaaS.refund({ order_id: -1 }), 605),
  ]
  await fault({ kind: 'delay', delay_ms: 1000, path_prefix: PATHS.orderList })
  errors.push(await rejects(order.getOrderList(), 601))
  await BaaS.init(CLIENT_ID, { host: 'http://127.0.0.1:1', token: secret })
  errors.push(await rejects(order.getOrderList(), 600))
  errors.push(await rejects(BaaS.refund({ order_id: F.orderId }), 600))
  for (const e of [...errors, ...seen]) {
    for (const t of [secret, ADMIN_TOKEN, USER_TOKEN]) {
      assert.ok(!e.message.includes(t), `token in error message: ${e.message}`)
      assert.ok(!String(e.stack).includes(t), `token in error stack: ${e.stack}`)
    }
  }
  const reqs = await requests()
  assert.ok(reqs.length >= 3)
  for (const r of reqs) assert.ok(!r.path.includes(secret) && !r.query.includes(secret))
  assertNoTokenInUrls(reqs)
})

test('a wx.request-style `request` option carries every call; a non-function is 605', async () => {
  await reset()
  await clearRequests()
  const seenOptions = []
  // A wx.request look-alike over fetch: callbacks, `header`, `statusCode`, text data.
  const request = o => {
    seenOptions.push(o)
    fetch(o.url, { method: o.method, headers: o.header, body: o.data })
      .then(async r => o.success({ statusCode: r.status, header: Object.fromEntries(r.headers), data: await r.text() }))
      .catch(e => o.fail({ errMsg: 'request:fail ' + e.message }))
  }
  await initAdmin({ request })
  const list = await new BaaS.Order().getOrderList({ gateway_type: 'alipay' })
  assertResponse(list)
  assert.ok(list.data.objects.every(o => o.gateway_type === 'alipay'))
  const refund = await BaaS.refund({ order_id: F.orderId, refund_amount: 1 })
  assert.equal(refund.data.status, 'succeed')
  await rejects(BaaS.refund({ order_id: 999999999 }), 404)
  assert.equal(seenOptions.length, 3, 'every call went through the request option')
  assert.deepEqual(
    seenOptions.map(o => [o.method, o.dataType, typeof o.timeout]),
    [['GET', 'text', 'number'], ['POST', 'text', 'number'], ['POST', 'text', 'number']],
  )
  assert.equal(seenOptions[1].header.Authorization, `Hydrogen-r1 ${ADMIN_TOKEN}`)
  assert.deepEqual(JSON.parse(seenOptions[1].data), { order_id: F.orderId, refund_amount: 1 })
  assert.equal((await requests()).filter(r => r.path.startsWith('/hserve/')).length, 3)
  // A request function that never answers: the SDK's own timer gives 601.
  await initAdmin({ request: () => {}, timeout: 200 })
  await rejects(new BaaS.Order().get(F.transactionNo), 601)
  await rejects(initAdmin({ request: 'wx.request' }), 605, 'options.request')
  await initAdmin()
})

test('throwing or re-entrant getters in arguments give HError 605 and the SDK keeps working', async () => {
  await reset()
  await clearRequests()
  await initAdmin()
  const order = new BaaS.Order()
  const throwing = { get order_id() { throw new Error('boom') } }
  for (let i = 0; i < 3; i++) await rejects(BaaS.refund(throwing), 605, 'order_id')
  throws(() => BaaS.setToken({ get a() { throw new Error('boom') } }), 605, 'token')
  // A getter that calls back into the SDK while its arguments are read.
  throws(() => BaaS.setToken({ get a() { BaaS.clearToken(); return 1 } }), 605, 'token')
  // The getter above really cleared the token: the next call goes without one.
  await rejects(order.get(F.transactionNo), 401)
  const last = (await requests()).pop()
  assert.equal(last.headers.authorization, undefined)
  BaaS.setToken(ADMIN_TOKEN)
  // A getter that calls a setter of the same Order while the call reads its
  // arguments: harmless (the call took its state before), the value is kept for the next call.
  assertResponse(await order.getOrderList({ get status() { order.limit(5); return 'success' } }))
  assert.equal(new URLSearchParams((await requests()).pop().query).get('limit'), '20')
  await rejects(order.getOrderList(new Proxy({}, { ownKeys() { throw new Error('trap') } })), 605, 'params')
  assert.equal((await requests()).filter(r => r.path.startsWith('/hserve/')).length, 2, 'only the 401 call and the list were sent')
  // Still alive, same objects.
  assertResponse(await order.limit(2).getOrderList())
  assertResponse(await BaaS.refund({ order_id: F.orderId, refund_amount: 1 }))
})

test('a runtime without fetch gets HError 611; a broken fetch or request function is an HError, outcome unknown', async () => {
  await reset()
  await initAdmin()
  const fetch0 = globalThis.fetch
  const outcomeUnknown = e => assert.match(e.message, /outcome is unknown/)
  try {
    delete globalThis.fetch
    await rejects(new BaaS.Order().get(F.transactionNo), 611, 'request')
    // A patched fetch that throws at once, or answers with something that is not a Response.
    globalThis.fetch = () => {
      throw new Error('patched fetch broke')
    }
    outcomeUnknown(await rejects(BaaS.refund({ order_id: F.orderId, refund_amount: 1 }), 600, 'patched fetch broke'))
    globalThis.fetch = async () => ({ status: 200, text: async () => '{}' })
    await rejects(new BaaS.Order().get(F.transactionNo), 600, 'not a Response')
  } finally {
    globalThis.fetch = fetch0
  }
  assertResponse(await new BaaS.Order().get(F.transactionNo))

  // A request function that sends and then throws: the refund happened, and the error says the outcome is unknown.
  await initAdmin({
    request: o => {
      fetch0(o.url, { method: o.method, headers: o.header, body: o.data })
      throw new Error('logger failed')
    },
  })
  outcomeUnknown(await rejects(BaaS.refund({ order_id: F.orderId, refund_amount: 1 }), 600, 'logger failed'))
  // A runtime whose success callback hands over data the adapter cannot read.
  await initAdmin({ request: o => o.success({ statusCode: 200, header: {}, data: { n: 1n } }) })
  outcomeUnknown(await rejects(BaaS.refund({ order_id: F.orderId, refund_amount: 1 }), 600, 'BigInt'))
  await initAdmin()
  // The request function's fetch was not awaited: give it up to 2 s to land.
  let order
  for (let i = 0; i < 100; i++) {
    order = (await new BaaS.Order().getOrderList({ id: F.orderId })).data.objects[0]
    if (order.refund_amount !== '0.00') break
    await new Promise(r => setTimeout(r, 20))
  }
  assert.equal(order.refund_amount, '1.00', 'the refund whose request function threw after sending did happen')
  const hostile = { host: EMULATOR, token: ADMIN_TOKEN, get request() { throw new Error('getter') } }
  await rejects(BaaS.init(CLIENT_ID, hostile), 605, 'options')
  await initAdmin()
})

test('new BaaS.HError(code) has minapp-sdk\'s default text for each SDK code', async () => {
  const fs = await import('node:fs')
  const { createRequire } = await import('node:module')
  // The reference: minapp-sdk's own HError text table, read from its browser bundle.
  const web = fs.readFileSync(createRequire(import.meta.url).resolve('minapp-sdk/lib/web.js'), 'utf8')
  const official = new Map([...web.matchAll(/case (6\d\d):return"([^"]+)"/g)].map(m => [Number(m[1]), m[2]]))
  for (const code of [600, 601, 602, 603, 604, 605, 611]) {
    assert.ok(official.has(code), `minapp-sdk has a text for ${code}`)
    const e = new BaaS.HError(code)
    assert.equal(e.message, `${code}: ${official.get(code)}`)
    assert.equal(Object.getPrototypeOf(e), BaaS.HError.prototype)
    assert.equal(e.code, code)
  }
  assert.equal(new BaaS.HError(999).message, '999: unknown error')
  assert.equal(new BaaS.HError(605, 'order_id: must be a positive integer').message, '605: order_id: must be a positive integer')
})
