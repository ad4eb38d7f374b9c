// The API document's example code, extracted from the document at test time
// and run verbatim against the installed package and the emulator.
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import { importESM } from './install.mjs'
import { blocks, lines, listBlocks, refundBlocks, sharingBlocks, listReply, wechatReply, wechatMultiReply, alipayReply, recordingBaaS, runBlocks } from './seed.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, PATHS, FIXTURES as F, reset, requests, clearRequests } from './emulator.mjs'

const { BaaS } = await importESM()

before(async () => {
  await reset()
  await BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN })
})

test('the document holds 10 examples: 4 list, 3 profit sharing, 3 refund', () => {
  assert.equal(blocks.length, 10)
  assert.equal(blocks.length, lines.filter(l => l.includes('.then(res => {')).length, 'one block per documented call')
  assert.equal(listBlocks.length, 4)
  assert.equal(sharingBlocks.length, 3)
  assert.equal(refundBlocks.length, 3)
  assert.ok(sharingBlocks[0].includes('order.wechatPay.profitSharing('))
  assert.ok(sharingBlocks[1].includes('order.wechatPay.multiProfitSharing('))
  assert.ok(sharingBlocks[2].includes('order.alipay.profitSharing('))
  assert.ok(listBlocks[3].startsWith('order.offset(20).limit(20).getOrderList()'))
  for (const b of blocks) assert.ok(b.endsWith('\n})'))
  assert.ok(listReply && wechatReply && wechatMultiReply && alipayReply, 'four reply examples')
})

test('list examples resolve with the documented shape and matching orders', async () => {
  await reset()
  await clearRequests()
  const rec = recordingBaaS(BaaS)
  const results = await runBlocks(rec, listBlocks)
  const docObject = listReply.data.objects[0]
  const expected = [{ gateway_type: 'weixin_tenpay' }, { trade_no: F.tradeNo }, { transaction_no: F.transactionNo }, undefined]
  results.forEach(({ block, calls }, i) => {
    assert.equal(calls.length, 1, `one call in: ${block}`)
    assert.equal(calls[0].name, 'order.getOrderList')
    assert.deepEqual(calls[0].args[0], expected[i])
    const { value: res, error } = calls[0].result
    assert.equal(error, undefined, `example ${i + 1} resolves: ${error && error.message}`)
    assert.equal(res.status, 200)
    assert.deepEqual(Object.keys(res.data).sort(), Object.keys(listReply.data).sort())
    assert.deepEqual(Object.keys(res.data.meta).sort(), Object.keys(listReply.data.meta).sort())
    assert.ok(res.data.objects.length > 0)
    for (const o of res.data.objects) {
      for (const key of Object.keys(docObject)) assert.ok(key in o, `order has the documented field ${key}`)
      for (const [k, v] of Object.entries(expected[i] || {})) assert.equal(o[k], v)
    }
  })
  assert.equal(results[1].calls[0].result.value.data.meta.total_count, 1)
  assert.equal(results[2].calls[0].result.value.data.meta.total_count, 1)
  // The same order object serves the later examples, as in the document.
  assert.equal(rec.orders.length, 2)
  const page = results[3].calls[0].result.value.data.meta
  assert.equal(page.offset, 20)
  assert.equal(page.limit, 20)
  assert.equal(results[3].calls[0].result.value.data.objects.length, 20)

  const reqs = (await requests()).filter(r => r.path === PATHS.orderList)
  assert.equal(reqs.length, 4)
  const last = new URLSearchParams(reqs[3].query)
  assert.equal(last.get('offset'), '20')
  assert.equal(last.get('limit'), '20')
  assert.equal(last.get('where'), '{}')
  assert.match(reqs[3].query, /(^|&)offset=20(&|$)/)
  assert.match(reqs[3].query, /(^|&)limit=20(&|$)/)
})

test('refund examples refund the whole order and resolve status succeed', async () => {
  await reset()
  const rec = recordingBaaS(BaaS)
  const results = await runBlocks(rec, refundBlocks)
  const expected = [
    [{ order_id: F.orderId, memo: '测试退款' }, '398.00'],
    [{ trade_no: F.sharedNo, memo: '测试退款' }, '120.00'],
    [{ transaction_no: F.sharedNo, memo: '测试退款' }, '88.00'],
  ]
  results.forEach(({ calls }, i) => {
    assert.equal(calls.length, 1)
    assert.equal(calls[0].name, 'BaaS.refund')
    assert.deepEqual(calls[0].args[0], expected[i][0])
    const { value: res, error } = calls[0].result
    assert.equal(error, undefined, `refund example ${i + 1} resolves: ${error && error.message}`)
    assert.equal(res.status, 200)
    assert.equal(res.data.status, 'succeed')
    assert.equal(res.data.refund_amount, expected[i][1])
    assert.equal(res.data.memo, '测试退款')
    for (const k of ['id', 'order_id', 'refund_no']) assert.ok(k in res.data, `refund result has ${k}`)
  })
  const order = new BaaS.Order()
  for (const filter of [{ id: F.orderId }, { trade_no: F.sharedNo }, { transaction_no: F.sharedNo }]) {
    const rows = (await order.getOrderList(filter)).data.objects
    assert.equal(rows.length, 1, JSON.stringify(filter))
    assert.equal(rows[0].refund_status, 'complete', JSON.stringify(filter))
    assert.equal(rows[0].refund_amount, rows[0].total_cost, JSON.stringify(filter))
  }
})

test('profit-sharing examples as printed (placeholders) reject HError 605 naming receivers[0].type', async () => {
  await reset()
  await clearRequests()
  const rec = recordingBaaS(BaaS)
  const results = await runBlocks(rec, sharingBlocks)
  for (const { block, calls } of results) {
    assert.ok(block.includes("type: '...'"))
    assert.equal(calls.length, 1)
    const { error } = calls[0].result
    assert.ok(error instanceof BaaS.HError, `rejects with an HError: ${error}`)
    assert.equal(error.code, 605)
    assert.ok(error.message.startsWith('605: '))
    assert.ok(error.message.includes('receivers[0].type'), error.message)
  }
  assert.deepEqual(await requests(), [], 'nothing was sent')
})

test('profit-sharing examples with fixture values resolve with the documented replies', async () => {
  await reset()
  const fill = {
    'order.wechatPay.profitSharing': { trade_no: F.wxShare1, appid: F.appid, type: 'MERCHANT_ID', account: F.wechatMerchant },
    'order.wechatPay.multiProfitSharing': { trade_no: F.wxShare2, appid: F.appid, type: 'PERSONAL_OPENID', account: F.wechatOpenid },
    'order.alipay.profitSharing': { trade_no: F.aliShare, type: 'userId', account: F.alipayUserId },
  }
  const filled = sharingBlocks.map(block => {
    const call = Object.keys(fill).find(name => block.includes(name + '('))
    const values = { ...fill[call], description: '分账测试' }
    let text = block
    for (const [k, v] of Object.entries(values)) {
      const placeholder = `${k}: '...',`
      assert.equal(text.split(placeholder).length, 2, `${call}: one ${placeholder}`)
      text = text.replace(placeholder, `${k}: ${JSON.stringify(v)},`)
    }
    assert.ok(!text.includes("'...'"), `every placeholder filled in ${call}`)
    return { call, values, text }
  })
  const rec = recordingBaaS(BaaS)
  const results = await runBlocks(rec, filled.map(f => f.text))
  const docReplies = [wechatReply, wechatMultiReply, alipayReply]
  results.forEach(({ calls }, i) => {
    const { call, values } = filled[i]
    assert.equal(calls.length, 1)
    assert.equal(calls[0].name, call)
    assert.deepEqual(calls[0].args[0].receivers, [{ type: values.type, account: values.account, amount: 10, description: '分账测试' }])
    const { value: res, error } = calls[0].result
    assert.equal(error, undefined, `${call} resolves: ${error && error.message}`)
    assert.equal(res.status, docReplies[i].status)
    assert.deepEqual(Object.keys(res.data).sort(), Object.keys(docReplies[i].data).sort())
    assert.equal(res.data.return_code, docReplies[i].data.return_code)
    assert.equal(res.data.trade_no, values.trade_no)
    if (values.appid) {
      assert.equal(res.data.appid, values.appid)
      assert.ok(typeof res.data.mch_id === 'string' && res.data.mch_id.length > 0)
      assert.ok(typeof res.data.wechat_order_no === 'string' && res.data.wechat_order_no.length > 0)
    }
  })
  assert.equal(results[0].calls[0].result.value.data.return_code, 'SUCCESS')
  assert.equal(results[2].calls[0].result.value.data.return_code, '10000')
})
