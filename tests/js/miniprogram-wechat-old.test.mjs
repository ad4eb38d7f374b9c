// WeChat with an old base library, simulated: `wx` only, no WXWebAssembly
// (below 2.13.0), or WXWebAssembly that cannot read .wasm.br (2.13.x).
// BaaS.init rejects with HError 611 naming the base library it needs, and
// every later call (the seed's examples among them) rejects with that same
// HError; nothing is sent.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as seed from './seed.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, reset, requests } from './emulator.mjs'
import { codePackage, runtime, openPage, inner, settle } from './miniprogram-sim.mjs'

test('old WeChat (base library 2.12.0, no WXWebAssembly): 611 from init and from every later call', async () => {
  await reset()
  const rt = runtime({ platform: 'wechat', engine: false, sdkVersion: '2.12.0', token: ADMIN_TOKEN, dir: codePackage('wechat') })
  assert.equal(rt.context.WXWebAssembly, undefined)
  const { BaaS } = rt.require('baas-order')
  const e = (await settle(BaaS.init(CLIENT_ID, inner(rt, { host: EMULATOR })))).error
  assert.ok(e instanceof BaaS.HError, String(e))
  assert.equal(e.code, 611)
  assert.match(e.message, /^611: .*WeChat base library >= 2\.14\.0/)
  assert.deepEqual(rt.trace.wasmPaths, [])

  // The seed document's examples, verbatim: every call they make rejects with that same HError.
  const rec = seed.recordingBaaS(BaaS)
  let calls = 0
  for (const group of ['listBlocks', 'refundBlocks', 'sharingBlocks']) {
    for (const { calls: made } of await seed.runBlocks(rec, seed[group], rt.compile)) {
      for (const c of made) {
        assert.equal(c.result.error, e, `${c.name}: the same HError`)
        calls++
      }
    }
  }
  assert.equal(calls, seed.listBlocks.length + seed.refundBlocks.length + seed.sharingBlocks.length)

  const order = new BaaS.Order()
  const later = [
    BaaS.init(CLIENT_ID, inner(rt, { host: EMULATOR })),
    order.getOrderList(inner(rt, { status: 'success' })),
    order.get('v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw'),
    BaaS.refund(inner(rt, { order_id: 29973 })),
    order.wechatPay.profitSharing(inner(rt, {})),
    order.alipay.profitSharing(inner(rt, {})),
  ]
  for (const p of later) assert.equal((await settle(p)).error, e, 'the same HError')
  // A chain goes on to the call at its end, which rejects; the synchronous setToken throws it.
  assert.equal((await settle(order.offset(20).limit(10).orderBy('-created_at').getOrderList())).error, e)
  assert.throws(() => BaaS.setToken('t'), x => x === e)
  assert.deepEqual(rt.trace.requests, [])
  assert.equal((await requests()).length, 0)
})

test('WeChat base library 2.13.0 (WXWebAssembly without .wasm.br): 611 naming 2.14.0', async () => {
  const rt = runtime({ platform: 'wechat', sdkVersion: '2.13.0', token: ADMIN_TOKEN, dir: codePackage('wechat') })
  const { BaaS } = rt.require('baas-order')
  const e = (await settle(BaaS.init(CLIENT_ID, inner(rt, { host: EMULATOR })))).error
  assert.equal(e.code, 611)
  assert.match(e.message, /base library 2\.13\.0 cannot load baas_order_bg\.wasm\.br.*>= 2\.14\.0/)
  assert.deepEqual(rt.trace.wasmPaths, [])
})

test('old WeChat: the example page shows the 611', async () => {
  const dir = codePackage('wechat', 'miniprogram-wechat', { clientID: CLIENT_ID, host: EMULATOR })
  const rt = runtime({ platform: 'wechat', engine: false, sdkVersion: '2.12.0', token: ADMIN_TOKEN, dir })
  const page = openPage(rt, './pages/orders/orders.js')
  await page.onLoad({})
  assert.equal(page.setDataCalls.length, 1)
  assert.equal(page.setDataCalls[0].code, 611)
  assert.match(page.setDataCalls[0].error, /^611: .*base library >= 2\.14\.0/)
})
