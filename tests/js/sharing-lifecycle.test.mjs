// The profit-sharing lifecycle through the packed package, against the
// emulator: BaaS.wechat.profitSharing (receivers, sharing orders, finish,
// return, return query), BaaS.alipay.profitSharing (receivers, receiver
// query, sharing orders, iterate), each validation rule with nothing sent,
// WeChat's SYSTEMERROR / FREQUENCY_LIMITED, 50 concurrent identical returns
// moving the money once, the refund that fails until the shared money is
// returned, calls waiting for an init not awaited, odd values (fast-check),
// and every example of the
// reference pages (tests/reference/, copies of the official cloud-function
// SDK pages).
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import fs from 'node:fs'
import path from 'node:path'
import { importESM, freshCopy, ROOT } from './install.mjs'
import {
  EMULATOR, CLIENT_ID, ADMIN_TOKEN, PATHS, FIXTURES as F,
  reset, requests, clearRequests, fault, rejectsHError, throwsHError,
} from './emulator.mjs'

const { BaaS } = await importESM()
const { HError } = BaaS
const WX = BaaS.wechat.profitSharing
const ALI = BaaS.alipay.profitSharing

const initAdmin = (options = {}) => BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN, ...options })
const SHOP_APPID = 'wx3b040d33346e0001'
const queryOf = r => Object.fromEntries(new URLSearchParams(r.query))

async function multiShare(tradeNo, amount, account = F.wechatMerchant) {
  return new BaaS.Order().wechatPay.multiProfitSharing({
    trade_no: tradeNo, appid: F.appid,
    receivers: [{ type: 'MERCHANT_ID', account, amount, description: '分账' }],
  })
}

/** The newest WeChat sharing order of a payment order. */
async function lastSharingOrder(paymentOrderId) {
  const { data } = await new WX.Order().limit(1).getOrderList({ payment_order_id: paymentOrderId })
  return data.objects[0]
}

const returnOptions = (over = {}) => ({
  trade_no: 'S', appid: F.appid, refund_no: 'R1', type: 'MERCHANT_ID', account: F.wechatMerchant, amount: 100, description: '回退', ...over,
})

before(async () => {
  await reset()
  await initAdmin()
})

test('the namespaces are there, with the reference names', () => {
  for (const k of ['addReceiver', 'removeReceiver']) assert.equal(typeof WX[k], 'function')
  for (const k of ['addReceiver', 'removeReceiver', 'receiverQuery']) assert.equal(typeof ALI[k], 'function')
  const o = new WX.Order()
  for (const k of ['offset', 'limit', 'getOrderList', 'finish', 'refund', 'getRefundmentOrder']) assert.equal(typeof o[k], 'function', k)
  const a = new ALI.Order()
  for (const k of ['offset', 'limit', 'getOrderList']) assert.equal(typeof a[k], 'function', k)
  assert.equal(a.finish, undefined)
  assert.equal(o.offset(1), o, 'offset chains')
  throwsHError(() => o.limit(-1), 605, HError, 'limit')
})

test('share, see it listed, refund fails, return (idempotent by refund_no), refund succeeds', async () => {
  await reset()
  await clearRequests()
  const shared = await multiShare(F.wxShare1, 300)
  assert.equal(shared.data.return_code, 'SUCCESS')
  const list = await new WX.Order().offset(0).limit(10).getOrderList({ payment_order_id: 50001, order_type: 'multi_profit_sharing' })
  assert.equal(list.status, 200)
  assert.equal(list.data.meta.total_count, 1)
  const so = list.data.objects[0]
  assert.deepEqual(so.receiver, [{ type: 'MERCHANT_ID', account: F.wechatMerchant, amount: 300, description: '分账' }])
  assert.equal(so.payment_order_id, 50001)
  assert.notEqual(so.trade_no, F.wxShare1)
  const [get] = (await requests()).filter(r => r.path === PATHS.wechatSharingOrders)
  assert.equal(get.method, 'GET')
  assert.deepEqual(queryOf(get), { limit: '10', offset: '0', where: '{}', payment_order_id: '50001', order_type: 'multi_profit_sharing' })

  const before = await BaaS.refund({ trade_no: F.wxShare1, refund_amount: 1 })
  assert.equal(before.data.status, 'failed', 'shared money not returned: the refund fails')

  const ret = await new WX.Order().refund(returnOptions({ trade_no: so.trade_no, refund_no: 'RET-1|a', amount: 300 }))
  assert.equal(ret.status, 200)
  assert.equal(ret.data.result, 'SUCCESS')
  assert.equal(ret.data.amount, 300)
  const again = await new WX.Order().refund(returnOptions({ trade_no: so.trade_no, refund_no: 'RET-1|a', amount: 300 }))
  assert.deepEqual(again.data, ret.data, 'the same refund_no answers the same return')
  const posted = (await requests()).filter(r => r.path === PATHS.wechatSharingReturn)
  assert.equal(posted.length, 2)
  assert.deepEqual(JSON.parse(posted[0].body), returnOptions({ trade_no: so.trade_no, refund_no: 'RET-1|a', amount: 300 }))
  // Nothing more to return on that sharing order.
  const e = await rejectsHError(new WX.Order().refund(returnOptions({ trade_no: so.trade_no, refund_no: 'RET-2', amount: 1 })), 400, HError)
  assert.ok(e.data && e.data.error_msg, 'the reply is in e.data')

  const q = await new WX.Order().getRefundmentOrder({ trade_no: so.trade_no, appid: F.appid, refund_no: 'RET-1|a' })
  assert.deepEqual(q.data, ret.data)
  const [qr] = (await requests()).filter(r => r.path === PATHS.wechatSharingReturnQuery)
  assert.equal(qr.method, 'GET')
  assert.deepEqual(queryOf(qr), { trade_no: so.trade_no, appid: F.appid, refund_no: 'RET-1|a' })

  const after = await BaaS.refund({ trade_no: F.wxShare1, refund_amount: 1 })
  assert.equal(after.data.status, 'succeed', 'returned: the refund succeeds')
})

// Money shared must always be able to come back, and
// the order then refund (docs/assumptions-profit-sharing.md).
test('a WeChat sharing naming one receiver twice: HError 605 naming receivers[1].account, nothing sent', async () => {
  await reset()
  await clearRequests()
  const line = amount => ({ type: 'MERCHANT_ID', account: F.wechatMerchant, amount, description: '分账' })
  const opts = { trade_no: F.wxShare1, appid: F.appid, receivers: [line(10), line(20)] }
  for (const share of ['profitSharing', 'multiProfitSharing']) {
    const e = await rejectsHError(new BaaS.Order().wechatPay[share](opts), 605, HError, 'receivers[1].account')
    assert.equal(e.field, 'receivers[1].account', share)
  }
  assert.deepEqual(await requests(), [], 'refused before sending')
  // Another type with the same account is another receiver.
  const two = { ...opts, receivers: [line(10), { ...line(20), type: 'PERSONAL_OPENID', account: F.wechatOpenid }] }
  assert.equal((await new BaaS.Order().wechatPay.multiProfitSharing(two)).status, 200)
})

test('every fen shared (WeChat) is returned, then the whole order refunds', async () => {
  await reset()
  const share = receivers => new BaaS.Order().wechatPay.multiProfitSharing({ trade_no: F.wxShare1, appid: F.appid, receivers })
  await share([
    { type: 'MERCHANT_ID', account: F.wechatMerchant, amount: 1000, description: '分账' },
    { type: 'PERSONAL_OPENID', account: F.wechatOpenid, amount: 1500, description: '分账' },
  ])
  await share([{ type: 'MERCHANT_ID', account: F.wechatMerchant, amount: 500, description: '分账' }])
  assert.equal((await BaaS.refund({ trade_no: F.wxShare1 })).data.status, 'failed', 'shared money not returned yet')
  const { data } = await new WX.Order().limit(100).getOrderList({ payment_order_id: 50001 })
  let returned = 0
  for (const so of data.objects) {
    for (const [i, r] of so.receiver.entries()) {
      const refund_no = `${so.trade_no.slice(-6)}-${i}`
      const res = await new WX.Order().refund(returnOptions({ trade_no: so.trade_no, refund_no, type: r.type, account: r.account, amount: r.amount }))
      assert.equal(res.data.result, 'SUCCESS')
      returned += res.data.amount
    }
  }
  assert.equal(returned, 3000)
  const all = await BaaS.refund({ trade_no: F.wxShare1 })
  assert.deepEqual([all.data.status, all.data.refund_amount], ['succeed', '100.00'])
})

test('an Alipay refund takes back the shared money it needs (there is no Alipay return call)', async () => {
  await reset()
  const res = await new BaaS.Order().alipay.profitSharing({
    trade_no: F.aliShare,
    receivers: [{ type: 'userId', account: F.alipayUserId, amount: 6000, description: '分账' }],
  })
  assert.equal(res.data.return_code, '10000')
  // 100.00 order, 60.00 shared: 50.00 takes 10.00 back from the receiver, then the rest.
  const part = await BaaS.refund({ trade_no: F.aliShare, refund_amount: 50 })
  assert.deepEqual([part.data.status, part.data.refund_amount], ['succeed', '50.00'])
  const rest = await BaaS.refund({ trade_no: F.aliShare })
  assert.deepEqual([rest.data.status, rest.data.refund_amount], ['succeed', '50.00'])
  const { data } = await new BaaS.Order().getOrderList({ trade_no: F.aliShare })
  assert.equal(data.objects[0].refund_status, 'complete')
})

test('finish closes the order for sharing and appears as a finish sharing order', async () => {
  await reset()
  const res = await new WX.Order().finish({ trade_no: F.wxShare2, appid: F.appid, description: '完结分账' })
  assert.equal(res.data.return_code, 'SUCCESS')
  assert.equal(res.data.trade_no, F.wxShare2)
  await rejectsHError(multiShare(F.wxShare2, 10), 400, HError)
  const { data } = await new WX.Order().getOrderList({ order_type: 'finish' })
  assert.equal(data.meta.total_count, 1)
  assert.equal(data.objects[0].receiver, null)
  assert.equal(data.objects[0].payment_order_id, 50002)
})

test('receivers: sharing needs one added; add, remove, query (WeChat and Alipay)', async () => {
  await reset()
  const account = '1900000777'
  await rejectsHError(multiShare(F.wxShare1, 10, account), 400, HError, 'not registered')
  const added = await WX.addReceiver({ mch_id: '1501889000', appid: F.appid, type: 'MERCHANT_ID', account, relation_type: 'STORE', name: '门店' })
  assert.equal(added.data.return_code, 'SUCCESS')
  assert.deepEqual(JSON.parse(added.data.receiver), { type: 'MERCHANT_ID', account, relation_type: 'STORE' })
  assert.equal((await multiShare(F.wxShare1, 10, account)).status, 200)
  const removed = await WX.removeReceiver({ mch_id: '1501889000', appid: F.appid, type: 'MERCHANT_ID', account })
  assert.equal(removed.data.return_code, 'SUCCESS')
  await rejectsHError(multiShare(F.wxShare1, 10, account), 400, HError)

  const rcv = { type: 'loginName', account: 'new@example.com', name: '王五' }
  const aliShare = () => new BaaS.Order().alipay.profitSharing({ trade_no: F.aliShare, receivers: [{ type: 'loginName', account: rcv.account, amount: 5, description: 'd' }] })
  await rejectsHError(aliShare(), 400, HError)
  assert.deepEqual((await ALI.addReceiver({ request_no: 'add_1', receivers: [rcv] })).data, { result_code: 'SUCCESS', return_code: '10000' })
  const q = await ALI.receiverQuery({ request_no: 'q_1', page_num: 1, page_size: 100 })
  assert.equal(q.data.total_record_num, 3)
  assert.ok(q.data.receiver_list.some(r => r.account === rcv.account && r.type === 'loginName'))
  assert.equal((await aliShare()).status, 200)
  const list = await new ALI.Order().limit(5).getOrderList({ status: 'finished' })
  assert.equal(list.data.meta.total_count, 1)
  assert.equal(list.data.objects[0].receiver[0].account, rcv.account)
  await ALI.removeReceiver({ request_no: 'rm_1', receivers: [rcv] })
  assert.equal((await ALI.receiverQuery({ request_no: 'q_2' })).data.total_record_num, 2)
})

test('each validation rule: HError 605 naming the field, nothing sent', async () => {
  await reset()
  const add = (over = {}) => ({ mch_id: 'm', appid: F.appid, type: 'MERCHANT_ID', account: 'a', relation_type: 'PARTNER', name: 'n', ...over })
  const ali = (over = {}) => ({ request_no: 'r1', receivers: [{ type: 'userId', account: 'a', name: 'n' }], ...over })
  const o = () => new WX.Order()
  const cases = [
    [() => WX.addReceiver(add({ type: 'OPENID' })), 'type: must be one of MERCHANT_ID, PERSONAL_OPENID'],
    [() => WX.addReceiver(add({ type: 'PERSONAL_WECHATID' })), 'type: PERSONAL_WECHATID is retired'],
    [() => WX.addReceiver(add({ relation_type: 'FRIEND' })), 'relation_type: must be one of'],
    [() => WX.addReceiver(add({ name: undefined })), 'name: is required when type is not PERSONAL_OPENID'],
    [() => WX.addReceiver(add({ relation_type: 'CUSTOM' })), 'custom_relation: is required when relation_type is CUSTOM'],
    [() => WX.addReceiver(add({ mch_id: '' })), 'mch_id: must be a non-empty string'],
    [() => WX.addReceiver(add({ nmae: 'x' })), 'unknown field nmae'],
    [() => WX.removeReceiver({ mch_id: 'm', appid: 'a', type: 'MERCHANT_ID' }), 'account: is required'],
    [() => o().refund(returnOptions({ refund_no: 'R 1' })), 'refund_no: must be 1 to 64 characters of 0-9 a-z A-Z _ - | * @'],
    [() => o().refund(returnOptions({ refund_no: '退款1' })), 'refund_no:'],
    [() => o().refund(returnOptions({ amount: 1.5 })), 'amount: must be a positive integer'],
    [() => o().refund(returnOptions({ amount: 0 })), 'amount: must be a positive integer'],
    [() => o().refund(returnOptions({ amount: '100' })), 'amount: must be a positive integer'],
    [() => o().refund(returnOptions({ extra: 1 })), 'unknown field extra'],
    [() => o().getRefundmentOrder({ trade_no: 't', appid: 'a', refund_no: 'R#1' }), 'refund_no:'],
    [() => o().finish({ trade_no: 't', appid: 'a' }), 'description: is required'],
    [() => o().getOrderList({ status: 'done' }), 'params.status: must be one of accepted, processing, finished, closed'],
    [() => o().getOrderList({ order_type: 'refund' }), 'params.order_type:'],
    [() => o().getOrderList({ tradeno: 'x' }), 'unknown field params.tradeno'],
    [() => new ALI.Order().getOrderList({ order_type: 'finish' }), 'unknown field params.order_type'],
    [() => ALI.addReceiver(ali({ request_no: undefined })), 'request_no: is required'],
    [() => ALI.addReceiver(ali({ request_no: 'x'.repeat(33) })), 'request_no: must be 1 to 32 characters'],
    [() => ALI.addReceiver(ali({ request_no: 'a-b' })), 'request_no:'],
    [() => ALI.addReceiver(ali({ receivers: [] })), 'receivers: must be a non-empty array'],
    [() => ALI.removeReceiver(ali({ receivers: [{ type: 'userId', account: 'a' }] })), 'receivers[0].name: is required'],
    [() => ALI.addReceiver(ali({ receivers: [{ type: 'MERCHANT_ID', account: 'a', name: 'n' }] })), 'receivers[0].type: must be one of userId, loginName'],
    [() => ALI.receiverQuery({ request_no: 'q', page_num: 0 }), 'page_num: must be a positive integer'],
    [() => ALI.receiverQuery({ request_no: 'q', page_size: 101 }), 'page_size: must be an integer from 1 to 100'],
    [() => ALI.receiverQuery({ request_no: 'q', page_size: 0 }), 'page_size:'],
    [() => ALI.receiverQuery('q'), 'options: must be an object'],
  ]
  await clearRequests()
  for (const [call, message] of cases) {
    const e = await rejectsHError(call(), 605, HError)
    assert.ok(e.message.startsWith('605: ' + message), `${e.message} should start with 605: ${message}`)
    // e.field is the parameter the message names.
    assert.ok(e.field && e.message.includes(e.field), `${e.message}: e.field ${e.field}`)
  }
  assert.deepEqual(await requests(), [], 'nothing was sent')
})

test("WeChat's SYSTEMERROR / FREQUENCY_LIMITED: do not call again, the reply in e.data", async () => {
  await reset()
  const cases = [
    ['SYSTEMERROR', 200, () => multiShare(F.wxShare1, 10), PATHS.wechatMultiProfitSharing],
    ['FREQUENCY_LIMITED', 500, () => new WX.Order().finish({ trade_no: F.wxShare2, appid: F.appid, description: 'd' }), PATHS.wechatFinish],
    ['SYSTEMERROR', 400, () => new WX.Order().refund(returnOptions()), PATHS.wechatSharingReturn],
  ]
  for (const [code, status, call, path] of cases) {
    await clearRequests()
    await fault({ kind: 'wechat_error', err_code: code, status, path_prefix: path })
    const e = await rejectsHError(call(), status === 200 ? 600 : status, HError)
    assert.ok(e.message.includes(`WeChat answered ${code}`), e.message)
    assert.ok(e.message.includes('do not call again, the money may already have moved; contact support'), e.message)
    assert.equal(e.data.err_code, code)
    assert.equal((await requests()).length, 1, 'sent once, never again')
  }
})

test('50 concurrent identical returns (one refund_no) move the money once', async () => {
  await reset()
  await multiShare(F.wxShare1, 500)
  const so = await lastSharingOrder(50001)
  await clearRequests()
  const same = returnOptions({ trade_no: so.trade_no, refund_no: 'SAME-50', amount: 100 })
  const answers = await Promise.all(Array.from({ length: 50 }, () => new WX.Order().refund(same)))
  for (const a of answers) {
    assert.equal(a.status, 200)
    assert.deepEqual(a.data, answers[0].data, 'every one answers the same return')
  }
  assert.equal(answers[0].data.amount, 100)
  const sent = (await requests()).filter(r => r.path === PATHS.wechatSharingReturn)
  assert.equal(sent.length, 50, 'each sent once, none repeated')
  // 400 of the 500 are left: had the 50 moved money more than once, this return would be over the cap.
  const rest = await new WX.Order().refund(returnOptions({ trade_no: so.trade_no, refund_no: 'REST-400', amount: 400 }))
  assert.equal(rest.data.amount, 400)
  await rejectsHError(new WX.Order().refund(returnOptions({ trade_no: so.trade_no, refund_no: 'ONE-MORE', amount: 1 })), 400, HError)
  assert.equal((await BaaS.refund({ trade_no: F.wxShare1, refund_amount: 1 })).data.status, 'succeed', 'all returned: the refund succeeds')
})

test('iterate walks every sharing order, limit a page; the state resets after each call', async () => {
  await reset()
  for (let i = 0; i < 5; i++) await multiShare(F.wxShare1, 10 + i)
  await clearRequests()
  const order = new WX.Order()
  const seen = []
  for await (const so of order.limit(2).iterate({ payment_order_id: 50001 })) seen.push(so.receiver[0].amount)
  assert.deepEqual(seen.sort(), [10, 11, 12, 13, 14])
  const pages = (await requests()).filter(r => r.path === PATHS.wechatSharingOrders).map(queryOf)
  assert.deepEqual(pages.map(q => [q.offset, q.limit]), [['0', '2'], ['2', '2'], ['4', '2']])
  assert.ok(pages.every(q => q.payment_order_id === '50001'))
  // Skipping with offset, on Alipay's list too.
  await new BaaS.Order().alipay.profitSharing({ trade_no: F.aliShare, receivers: [{ type: 'userId', account: F.alipayUserId, amount: 10, description: 'd' }] })
  const ali = []
  for await (const so of new ALI.Order().offset(0).limit(1).iterate()) ali.push(so.trade_no)
  assert.equal(ali.length, 1)
  // After iterate and after a list call, the state starts afresh.
  await clearRequests()
  order.offset(3).limit(1)
  await order.getOrderList()
  await order.getOrderList()
  const [first, second] = (await requests()).map(queryOf)
  assert.deepEqual([first.offset, first.limit], ['3', '1'])
  assert.deepEqual([second.offset, second.limit], ['0', '20'])
  // A refused setter throws at once; an offset in params is iterate's 605.
  throwsHError(() => order.offset(1.5), 605, HError, 'offset')
  const e = await new ALI.Order().iterate({ offset: 1 }).next().catch(x => x)
  assert.equal(e.code, 605)
  assert.equal(e.field, 'params.offset')
})

test('init not awaited: lifecycle calls made while the wasm loads wait for it', async () => {
  const { BaaS: B } = await freshCopy().importESM()
  await reset()
  await clearRequests()
  await rejectsHError(B.wechat.profitSharing.addReceiver({}), 602, B.HError)
  B.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
  const calls = [
    new B.wechat.profitSharing.Order().limit(1).getOrderList(),
    B.alipay.profitSharing.receiverQuery({ request_no: 'wait_1' }),
    new B.wechat.profitSharing.Order().getRefundmentOrder({ trade_no: 't', appid: F.appid, refund_no: 'none' }).catch(e => e),
  ]
  // A setter refused while loading rejects its list call instead.
  const refused = new B.alipay.profitSharing.Order().limit('ten').getOrderList().catch(e => e)
  const [list, q, missing] = await Promise.all(calls)
  assert.equal(list.status, 200)
  assert.equal(q.data.total_record_num, 2)
  assert.ok(missing instanceof B.HError && missing.code === 404, `no such return: ${missing && missing.message}`)
  const e = await refused
  assert.ok(e instanceof B.HError && e.code === 605, `the refused limit: ${e && e.message}`)
  assert.equal(e.field, 'limit')
  assert.equal((await requests()).length, 3)
})

test('odd values for every lifecycle call: a reply or an HError, never a trap; nothing sent after a 605', async () => {
  await reset()
  const KEYS = ['mch_id', 'appid', 'type', 'account', 'relation_type', 'name', 'custom_relation', 'trade_no', 'description',
    'refund_no', 'amount', 'request_no', 'receivers', 'page_num', 'page_size', 'status', 'order_type', 'payment_order_id', 'offset', 'nmae']
  const leaf = fc.oneof(
    fc.constantFrom(undefined, null, true, 0, -0, 1, 1.5, 1e21, NaN, Infinity, -1, 100, 2 ** 53, 'x'.repeat(1025)),
    fc.string({ maxLength: 12 }),
    fc.constantFrom('MERCHANT_ID', 'PERSONAL_OPENID', 'PERSONAL_WECHATID', 'userId', 'CUSTOM', 'PARTNER', 'finished', 'R-1|a*b@c', F.appid, F.wxShare1),
  )
  const receiver = fc.dictionary(fc.constantFrom('type', 'account', 'name', 'amount', 'description', 'x'), leaf, { maxKeys: 5 })
  const value = fc.oneof(leaf, fc.array(receiver, { maxLength: 3 }), receiver)
  const options = fc.oneof(fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 8 }), leaf, fc.constant([]))
  const getter = fc.boolean() // a throwing getter on the options
  const calls = {
    wxAdd: o => WX.addReceiver(o), wxRemove: o => WX.removeReceiver(o), finish: o => new WX.Order().finish(o),
    ret: o => new WX.Order().refund(o), retQuery: o => new WX.Order().getRefundmentOrder(o),
    wxList: o => new WX.Order().getOrderList(o), aliList: o => new ALI.Order().getOrderList(o),
    aliAdd: o => ALI.addReceiver(o), aliRemove: o => ALI.removeReceiver(o), aliQuery: o => ALI.receiverQuery(o),
    wxIterate: o => new WX.Order().limit(2).iterate(o).next(),
  }
  const problems = []
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...Object.keys(calls)), options, getter, async (name, o, throwing) => {
      // A copy: fast-check hands the same value again while shrinking.
      if (throwing && o && typeof o === 'object') {
        o = Object.defineProperty(Array.isArray(o) ? [...o] : { ...o }, 'appid', { enumerable: true, get() { throw new Error('getter') } })
      }
      await clearRequests()
      let timer
      const hang = new Promise(resolve => (timer = setTimeout(() => resolve({ hang: true }), 15000)))
      const r = await Promise.race([calls[name](o).then(v => ({ v }), e => ({ e })), hang]).finally(() => clearTimeout(timer))
      if (r.hang) problems.push(`${name}: did not settle`)
      else if ('e' in r) {
        const e = r.e
        if (!(e instanceof HError) || typeof e.code !== 'number') problems.push(`${name}: not an HError: ${e}`)
        else if (e.code === 605 && (await requests()).some(q => q.path.startsWith('/hserve/'))) problems.push(`${name}: sent with a 605: ${e.message}`)
      }
      return problems.length === 0
    }),
    { seed: 812, numRuns: 300 },
  ).catch(e => problems.push(String(e.message).split('\n').slice(0, 3).join(' ')))
  assert.deepEqual(problems, [])
  // The module still works.
  assert.equal((await new WX.Order().limit(1).getOrderList()).status, 200)
})

test('endpoints overrides reach the new calls', async () => {
  await reset()
  await initAdmin({ endpoints: { wechatSharingOrders: '/custom/sharing/' } })
  await clearRequests()
  await rejectsHError(new WX.Order().getOrderList(), 404, HError)
  const [r] = await requests()
  assert.equal(r.path, '/custom/sharing/')
  await initAdmin()
  assert.equal((await new WX.Order().getOrderList()).status, 200)
})

// ---- the reference pages' examples -----------------------------------------

const pages = ['wechat-profit-sharing.md', 'alipay-profit-sharing.md'].map(f => fs.readFileSync(path.join(ROOT, 'tests', 'reference', f), 'utf8'))
const fenced = (text, lang) => [...text.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map(m => m[1])
const examples = pages.flatMap(p => fenced(p, 'js'))
// The documented replies, in page order (one has a trailing comma: read leniently).
const replies = pages.flatMap(p => fenced(p, 'json')).map(j => JSON.parse(j.replace(/,(\s*[}\]])/g, '$1')))

/** A BaaS whose profit-sharing calls record their Promises. */
function recording() {
  const calls = []
  const rec = (name, fn) => (...args) => {
    const p = fn(...args)
    calls.push({ name, p })
    return p
  }
  const ns = {}
  for (const gw of ['wechat', 'alipay']) {
    const real = BaaS[gw].profitSharing
    class Order extends real.Order {}
    for (const m of ['getOrderList', 'finish', 'refund', 'getRefundmentOrder']) {
      const method = real.Order.prototype[m]
      if (method) Order.prototype[m] = function (...args) { return rec(`${gw}.Order#${m}`, () => method.apply(this, args))() }
    }
    const wrapped = { Order }
    for (const k of ['addReceiver', 'removeReceiver', 'receiverQuery']) if (real[k]) wrapped[k] = rec(`${gw}.${k}`, real[k])
    ns[gw] = { profitSharing: wrapped }
  }
  return { BaaS: ns, calls }
}

test('every reference example runs against the emulator and answers the documented shape', async () => {
  await reset()
  await initAdmin()
  // What the pages leave to the reader: a sharing made first (order.md), and fixture values.
  await multiShare(F.wxShare1, 500)
  const so = await lastSharingOrder(50001)
  await new BaaS.Order().alipay.profitSharing({ trade_no: F.aliShare, receivers: [{ type: 'userId', account: F.alipayUserId, amount: 10, description: 'd' }] })
  const { data: aliList } = await new ALI.Order().getOrderList()
  const fills = [
    ['wechat.profitSharing.addReceiver', { mch_id: '1501889000', appid: F.appid, type: 'MERCHANT_ID', account: '1900000888', relation_type: 'CUSTOM', name: '示例商户', custom_relation: '合作方' }],
    ['wechat.profitSharing.removeReceiver', { mch_id: '1501889000', appid: F.appid, type: 'MERCHANT_ID', account: '1900000888' }],
    ['order.offset(20).limit(20).getOrderList', { trade_no: so.trade_no }],
    ['order.finish', { trade_no: F.wxShare2, appid: F.appid, description: '完结' }],
    ['order.refund', { trade_no: so.trade_no, appid: F.appid, refund_no: 'ref-1', type: 'MERCHANT_ID', account: F.wechatMerchant, description: '回退' }],
    ['order.getRefundmentOrder', { trade_no: so.trade_no, appid: F.appid, refund_no: 'ref-1' }],
    ['alipay.profitSharing.addReceiver', { type: 'userId', account: '2088000000000002', name: '李四', request_no: 'ref_add_1' }],
    ['alipay.profitSharing.removeReceiver', { type: 'userId', account: '2088000000000002', name: '李四', request_no: 'ref_rm_1' }],
    ['alipay.profitSharing.receiverQuery', { request_no: 'ref_q_1' }],
    ['order.offset(20).limit(20).getOrderList', { trade_no: aliList.objects[0].trade_no }],
  ]
  assert.equal(examples.length, fills.length, 'one fill per example')
  assert.equal(replies.length, fills.length, 'one documented reply per example')
  const { BaaS: rec, calls } = recording()
  for (const [i, block] of examples.entries()) {
    const [marker, values] = fills[i]
    assert.ok(block.includes(marker + '('), `example ${i} calls ${marker}`)
    let text = block
    for (const [k, v] of Object.entries(values)) {
      const placeholder = new RegExp(`(^|[^\\w])${k}: '\\.\\.\\.'`, 'g')
      assert.equal((text.match(placeholder) || []).length, 1, `example ${i}: one ${k}: '...'`)
      text = text.replace(placeholder, (_, before) => `${before}${k}: ${JSON.stringify(v)}`)
    }
    assert.ok(!text.includes("'...'"), `example ${i}: every placeholder filled`)
    new Function('BaaS', text)(rec)
    assert.equal(calls.length, i + 1, `example ${i} made one call`)
    const res = await calls[i].p
    assert.equal(res.status, replies[i].status, `example ${i}`)
    assert.deepEqual(Object.keys(res.data).sort(), Object.keys(replies[i].data).sort(), `example ${i} (${marker}) answers the documented fields`)
    if (res.data.meta) {
      assert.equal(res.data.meta.offset, 20)
      assert.equal(res.data.meta.total_count, 1, 'the filter found the one sharing order')
      assert.deepEqual(Object.keys(res.data.meta).sort(), Object.keys(replies[i].data.meta).sort())
    }
  }
  assert.equal((await calls[5].p).data.refund_no, 'ref-1')
})
