// WeChat with an old base library, simulated: `wx` only, no WXWebAssembly
// (below 2.13.0), or WXWebAssembly that cannot read .wasm.br (2.13.x).
// BaaS.init rejects with HError 611 naming the base library it needs, and
// every later call rejects with that same HError; nothing is sent.
import { test } from 'node:test'
import assert from 'node:assert/strict'
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
  // The chained and synchronous calls throw it.
  assert.throws(() => order.limit(10), x => x === e)
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
