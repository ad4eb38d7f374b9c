// Code written against minapp-sdk runs unchanged (init not awaited,
// minapp-sdk's options), and what a program can act on beyond it.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { createRequire } from 'node:module'
import { freshCopy } from './install.mjs'
import {
  EMULATOR, CLIENT_ID, ADMIN_TOKEN, FIXTURES as F, PATHS,
  reset, requests, clearRequests, fault, rejectsHError, throwsHError,
} from './emulator.mjs'

// The directory of a fresh copy's installed package (to break its wasm).
const packageDir = copy => path.dirname(createRequire(path.join(copy.dir, 'package.json')).resolve('baas-order'))

before(async () => {
  await reset()
})

test('init not awaited, with minapp-sdk\'s options: calls made while the wasm loads wait for it', async () => {
  const { BaaS } = await freshCopy().importESM()
  await clearRequests()
  // As a minapp-sdk user writes it: no await, minapp-sdk's options.
  const started = BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN, autoLogin: true, logLevel: 'debug', ws_host: 'wss://x.example', env: '' })
  const order = new BaaS.Order()
  // Setters called while loading are applied to the call that follows.
  const list = order.limit(2).offset(1).orderBy('-created_at').getOrderList()
  const one = new BaaS.Order().get(F.transactionNo)
  BaaS.setToken(ADMIN_TOKEN)
  const [l, o] = await Promise.all([list, one])
  await started
  assert.equal(l.status, 200)
  assert.equal(l.data.objects.length, 2)
  assert.equal(o.data.transaction_no, F.transactionNo)
  const sent = (await requests()).filter(r => r.path === PATHS.orderList)
  assert.equal(sent.length, 1)
  assert.deepEqual(Object.fromEntries(new URLSearchParams(sent[0].query)), { limit: '2', offset: '1', order_by: '-created_at', where: '{}' })
  // The state reset after the call, as when the wasm is loaded.
  await clearRequests()
  await order.getOrderList()
  const [again] = (await requests()).filter(r => r.path === PATHS.orderList)
  assert.deepEqual(Object.fromEntries(new URLSearchParams(again.query)), { limit: '20', offset: '0', where: '{}' })
})

test('a setter refused while loading rejects the list call with its 605; the query starts afresh', async () => {
  const { BaaS } = await freshCopy().importESM()
  BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  const order = new BaaS.Order().limit('ten').offset(3)
  const e = await rejectsHError(order.getOrderList(), 605, BaaS.HError)
  assert.match(e.message, /limit/)
  await clearRequests()
  await order.getOrderList()
  const [r] = (await requests()).filter(r => r.path === PATHS.orderList)
  assert.deepEqual(Object.fromEntries(new URLSearchParams(r.query)), { limit: '20', offset: '0', where: '{}' })
})

test('a misspelt option is still 605 naming it, and the calls waiting for that init reject with it', async () => {
  const { BaaS } = await freshCopy().importESM()
  await clearRequests()
  const started = BaaS.init(CLIENT_ID, { host: EMULATOR, autologin: true })
  const waiting = new BaaS.Order().getOrderList()
  const e = await rejectsHError(waiting, 605, BaaS.HError, '605: unknown field options.autologin')
  assert.equal(await started.catch(x => x), e, 'the same HError')
  assert.deepEqual(await requests(), [], 'nothing sent')
})

test('602 only when init was never called; a failed load rejects the waiting calls with the load\'s HError', async () => {
  const copy = freshCopy()
  const { BaaS } = await copy.importESM()
  await rejectsHError(new BaaS.Order().getOrderList(), 602, BaaS.HError)
  throwsHError(() => new BaaS.Order().limit(1), 602, BaaS.HError)
  throwsHError(() => BaaS.setToken(ADMIN_TOKEN), 602, BaaS.HError)
  // This copy's wasm is broken: the load fails.
  fs.writeFileSync(path.join(packageDir(copy), 'baas_order_bg.wasm'), 'not wasm')
  const started = BaaS.init(CLIENT_ID, { host: EMULATOR })
  const waiting = [new BaaS.Order().limit(1).getOrderList(), BaaS.refund({ order_id: F.orderId })]
  const load = await started.catch(x => x)
  assert.ok(load instanceof BaaS.HError)
  assert.equal(load.code, 600)
  assert.match(load.message, /could not load the baas-order wasm module/)
  for (const p of waiting) assert.equal(await p.catch(x => x), load)
})

test('605 carries e.field, the parameter it names; every rejection is a real BaaS.HError', async () => {
  const { BaaS } = await freshCopy().importESM()
  const { HError } = BaaS
  assert.ok(!Object.prototype.hasOwnProperty.call(HError, Symbol.hasInstance), 'no Symbol.hasInstance patch')
  const real = e => {
    assert.equal(Object.getPrototypeOf(e), HError.prototype)
    assert.ok(e instanceof Error)
    return e
  }
  const field = async (p, name) => {
    const e = real(await p.catch(x => x))
    assert.equal(e.code, 605, e.message)
    assert.equal(e.field, name, e.message)
    assert.ok(e.message.includes(name), e.message)
    assert.equal(e.outcomeUnknown, undefined)
  }
  await field(BaaS.init(CLIENT_ID, { host: EMULATOR, hots: 'x' }), 'options.hots')
  await field(BaaS.init(CLIENT_ID, { host: 'ftp://x' }), 'host')
  await field(BaaS.init(CLIENT_ID, { request: 'nope' }), 'options.request')
  await BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  await clearRequests()
  await field(BaaS.refund({ order_id: F.orderId, refund_amount: -1 }), 'refund_amount')
  await field(BaaS.refund({ order_id: F.orderId, memo: 'x'.repeat(2000) }), 'memo')
  await field(new BaaS.Order().getOrderList({ status: {} }), 'params.status')
  await field(new BaaS.Order().wechatPay.profitSharing({ trade_no: F.wxShare1, appid: F.appid, receivers: [{ type: 'MERCHANT_ID', account: F.wechatMerchant, amount: 0, description: 'x' }] }), 'receivers[0].amount')
  const thrown = real(throwsHError(() => new BaaS.Order().limit(-1), 605, HError))
  assert.equal(thrown.field, 'limit')
  assert.deepEqual(await requests(), [], 'nothing sent')
  // Not a 605: no field. A refusal (4xx) of a refund: nothing moved, no outcomeUnknown.
  const e = real(await BaaS.refund({ order_id: 1 }).catch(x => x))
  assert.ok(e.code >= 400 && e.code < 500, e.message)
  assert.equal(e.field, undefined)
  assert.equal(e.outcomeUnknown, undefined)
  // A user's own HError has minapp-sdk's shape.
  const own = new HError(605)
  assert.equal(own.message, '605: incorrect parameter type')
  assert.equal(own.field, undefined)
})

test('iterate pages through every order from offset, limit a page, in the given order; the state resets', async () => {
  const { BaaS } = await freshCopy().importESM()
  await BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  const all = (await new BaaS.Order().limit(1000).orderBy('id').getOrderList({ gateway_type: 'weixin_tenpay' })).data
  assert.ok(all.meta.total_count > 30, `enough orders (${all.meta.total_count})`)
  await clearRequests()
  const order = new BaaS.Order()
  const seen = []
  for await (const o of order.limit(7).offset(3).orderBy('id').iterate({ gateway_type: 'weixin_tenpay' })) seen.push(o.id)
  assert.deepEqual(seen, all.objects.slice(3).map(o => o.id))
  const sent = (await requests()).filter(r => r.path === PATHS.orderList).map(r => Object.fromEntries(new URLSearchParams(r.query)))
  assert.equal(sent.length, Math.ceil((all.meta.total_count - 3) / 7))
  sent.forEach((q, i) => {
    assert.equal(q.offset, String(3 + 7 * i))
    assert.equal(q.limit, '7')
    assert.equal(q.order_by, 'id')
    assert.equal(q.gateway_type, 'weixin_tenpay')
  })
  // The Order starts afresh after iterate, as after a list call.
  await clearRequests()
  await order.getOrderList()
  const [fresh] = (await requests()).filter(r => r.path === PATHS.orderList)
  assert.deepEqual(Object.fromEntries(new URLSearchParams(fresh.query)), { limit: '20', offset: '0', where: '{}' })
})

test('a failing page ends the iteration with that page\'s HError; an offset in params is a 605', async () => {
  const { BaaS } = await freshCopy().importESM()
  await BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  const it = new BaaS.Order().limit(5).iterate()
  for (let i = 0; i < 5; i++) assert.equal((await it.next()).done, false)
  await fault({ kind: 'status', status: 500, path_prefix: PATHS.orderList })
  const e = await it.next().catch(x => x)
  assert.ok(e instanceof BaaS.HError, String(e))
  assert.equal(e.code, 500)
  assert.deepEqual(await it.next(), { done: true, value: undefined }, 'the iteration ended')
  const bad = new BaaS.Order().iterate({ offset: 10 })
  const e2 = await bad.next().catch(x => x)
  assert.ok(e2 instanceof BaaS.HError)
  assert.equal(e2.code, 605)
  assert.equal(e2.field, 'params.offset')
  // Before init: the first page rejects with 602.
  const { BaaS: never } = await freshCopy().importESM()
  const e3 = await new never.Order().iterate().next().catch(x => x)
  assert.equal(e3.code, 602)
})

test('require and import in one process share one BaaS, one configuration and one wasm instance (either loaded first)', async () => {
  for (const cjsFirst of [true, false]) {
    const copy = freshCopy()
    let cjs, esm
    if (cjsFirst) {
      cjs = copy.requireCJS()
      esm = await copy.importESM()
    } else {
      esm = await copy.importESM()
      cjs = copy.requireCJS()
    }
    assert.equal(cjs.BaaS, esm.BaaS, 'one BaaS')
    assert.equal(cjs.HError, esm.HError)
    assert.equal(cjs.Order, esm.Order)
    // init through one, calls through the other: no 602.
    await (cjsFirst ? esm : cjs).BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
    const other = cjsFirst ? cjs : esm
    const res = await new other.BaaS.Order().get(F.transactionNo)
    assert.equal(res.data.transaction_no, F.transactionNo)
    // One token: cleared through one, gone for the other.
    esm.BaaS.clearToken()
    const e = await new cjs.BaaS.Order().get(F.transactionNo).catch(x => x)
    assert.ok(e instanceof esm.HError, String(e))
    assert.equal(e.code, 401)
  }
  // Another copy of the package (another folder) keeps its own state.
  const a = await freshCopy().importESM()
  const b = await freshCopy().importESM()
  assert.notEqual(a.BaaS, b.BaaS)
})

test('BaaS.Query while the wasm loads: its calls are recorded and the core checks them when the query is used; setQuery\'s value is checked by the list call', async () => {
  const { BaaS } = await freshCopy().importESM()
  await clearRequests()
  BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN }) // not awaited
  // The core checks each Query call: while the wasm loads a bad one is only
  // recorded, and the list call of a setQuery using it rejects with its 605.
  const bad = new BaaS.Query().in('status', 'success')
  assert.ok(bad instanceof BaaS.Query)
  const refused = rejectsHError(new BaaS.Order().setQuery(bad).getOrderList(), 605, BaaS.HError)
  const q = BaaS.Query.or(new BaaS.Query().compare('status', '=', 'success'), new BaaS.Query().isNull('paid_at'))
  const res = await new BaaS.Order().setQuery(q).limit(1000).getOrderList()
  const e = await refused
  assert.equal(e.field, 'status')
  // Loaded: the query stays refused, and a bad call throws at once.
  assert.equal(throwsHError(() => bad.isNull('paid_at'), 605, BaaS.HError).field, 'status')
  assert.equal(throwsHError(() => new BaaS.Query().in('status', 'success'), 605, BaaS.HError).field, 'status')
  assert.ok(res.data.objects.length > 0)
  assert.ok(res.data.objects.every(o => o.status === 'success' || o.paid_at === null))
  const lists = (await requests()).filter(r => r.path === PATHS.orderList)
  assert.equal(lists.length, 1, 'the refused list call sent nothing')
  const [sent] = lists
  assert.equal(new URLSearchParams(sent.query).get('where'), JSON.stringify(q.queryObject))
  assert.deepEqual(q.queryObject, { $or: [{ $and: [{ status: { $eq: 'success' } }] }, { $and: [{ paid_at: { $isnull: true } }] }] })
  // A setQuery refused while loading rejects the list call with its 605, nothing sent; the query starts afresh.
  const { BaaS: late } = await freshCopy().importESM()
  await clearRequests()
  // (No await between init and setQuery: the wasm is still loading.)
  late.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  const order = new late.Order().setQuery({ status: 'success' })
  const e2 = await rejectsHError(order.getOrderList(), 605, late.HError)
  assert.equal(e2.field, 'setQuery')
  assert.deepEqual(await requests(), [], 'nothing sent')
  await order.getOrderList()
  const [fresh] = (await requests()).filter(r => r.path === PATHS.orderList)
  assert.equal(new URLSearchParams(fresh.query).get('where'), '{}')
})

test('a BaaS.Query built before init is recorded, then checked once the wasm is there: its queryObject filled, a refused call thrown at the next use', async () => {
  const { BaaS } = await freshCopy().importESM()
  const q = new BaaS.Query().compare('status', '=', 'success').isNull(['paid_at'])
  const bad = BaaS.Query.and(new BaaS.Query().compare('status', '==', 'success'))
  assert.deepEqual(q.queryObject, {}, 'recorded, not yet checked')
  await BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  assert.deepEqual(q.queryObject, { $and: [{ status: { $eq: 'success' } }, { paid_at: { $isnull: true } }] })
  await clearRequests()
  assert.equal(throwsHError(() => bad.compare('id', '=', 1), 605, BaaS.HError).field, 'status')
  assert.equal(throwsHError(() => new BaaS.Order().setQuery(bad), 605, BaaS.HError).field, 'status')
  const res = await new BaaS.Order().setQuery(q).limit(1000).getOrderList()
  assert.ok(res.data.objects.every(o => o.status === 'success' && o.paid_at === null))
  const sent = (await requests()).filter(r => r.path === PATHS.orderList)
  assert.equal(sent.length, 1, 'only the good query was sent')
  assert.equal(new URLSearchParams(sent[0].query).get('where'), '{"$and":[{"status":{"$eq":"success"}},{"paid_at":{"$isnull":true}}]}')
})

test('hostile values in BaaS.Query and setQuery are an HError, never a TypeError; a query past the input limits is a 605', async () => {
  const { BaaS } = await freshCopy().importESM()
  await BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  await clearRequests()
  const revoked = Proxy.revocable([], {})
  revoked.revoke()
  const throwing = new Proxy([1], { get: () => { throw new Error('trap') } })
  for (const fn of [
    () => new BaaS.Query().in('status', revoked.proxy),
    () => new BaaS.Query().notIn('status', throwing),
    () => new BaaS.Query().isNull(revoked.proxy),
    () => BaaS.Query.and(revoked.proxy),
    () => new BaaS.Order().setQuery(revoked.proxy),
    () => new BaaS.Query().compare('status', { toString() { throw new Error('x') } }, 1),
  ]) {
    throwsHError(fn, 605, BaaS.HError)
  }
  // A query whose object was replaced by something that JSON cannot copy.
  const cyclic = new BaaS.Query()
  cyclic.queryObject.self = cyclic.queryObject
  throwsHError(() => new BaaS.Order().setQuery(cyclic), 605, BaaS.HError)
  // The input limits (src/limits.rs) apply to the query as to any argument.
  const many = new BaaS.Query()
  for (let i = 0; i < 101; i++) many.compare('id', '!=', i)
  throwsHError(() => new BaaS.Order().setQuery(many), 605, BaaS.HError, 'is longer than 100 items')
  throwsHError(() => new BaaS.Order().setQuery(new BaaS.Query().contains('trade_no', 'x'.repeat(1025))), 605, BaaS.HError, 'longer than 1024')
  const deep = BaaS.Query.or(BaaS.Query.and(new BaaS.Query().in('id', [1])))
  throwsHError(() => new BaaS.Order().setQuery(deep), 605, BaaS.HError, 'setQuery: is nested more than 8 levels deep')
  // A failed check leaves the query as it was.
  const q = new BaaS.Query().isNull('paid_at')
  throwsHError(() => q.isNotNull(['refund_status', 7]), 605, BaaS.HError)
  assert.deepEqual(q.queryObject, { $and: [{ paid_at: { $isnull: true } }] })
  assert.deepEqual(await requests(), [], 'nothing sent')
})
