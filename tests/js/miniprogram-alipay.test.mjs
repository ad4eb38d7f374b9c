// Alipay, simulated: `my` and MyWebAssembly (no WXWebAssembly) in a bare vm
// context. The seed's examples, my.request's failure codes as HErrors, the
// example project's page, and a client without MyWebAssembly (611).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as seed from './seed.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, reset, requests } from './emulator.mjs'
import { codePackage, runtime, runSeed, assertSeedRun, inner, settle } from './miniprogram-sim.mjs'
import { assertExamplePage } from './miniprogram-page.mjs'

const MODULE = 'baas-order/miniprogram/index.js'

test('Alipay: the seed examples over my.request, the wasm through MyWebAssembly', async () => {
  await reset()
  const rt = runtime({ platform: 'alipay', token: ADMIN_TOKEN, dir: codePackage('alipay') })
  assert.equal(rt.context.WXWebAssembly, undefined)
  const { BaaS } = rt.require(MODULE)
  await BaaS.init(CLIENT_ID, inner(rt, { host: EMULATOR }))
  assert.deepEqual(rt.trace.wasmPaths, ['/node_modules/baas-order/miniprogram/baas_order_bg.wasm.br'])
  assertSeedRun(await runSeed(rt, BaaS, seed))

  // Platform ALIPAY, the token from my.getStorageSync({ key }).data, sent as my.request's `headers`.
  const sent = (await requests()).filter(r => r.path.startsWith('/hserve/'))
  assert.equal(sent.length, 9)
  for (const r of sent) {
    assert.equal(r.headers['x-hydrogen-client-platform'], 'ALIPAY')
    assert.equal(r.headers.authorization, `Hydrogen-r1 ${ADMIN_TOKEN}`)
  }

  // Error 19: the HTTP status (my.request fails on >= 400) is the HError code, as on the web.
  // Order 29973 was fully refunded by the seed's first refund example.
  const again = (await settle(BaaS.refund(inner(rt, { order_id: 29973 })))).error
  assert.ok(again instanceof BaaS.HError)
  assert.equal(again.code, 400, again.message)
  const notFound = (await settle(new BaaS.Order().get('no-such-transaction-0000000000000'))).error
  assert.equal(notFound.code, 404, notFound.message)

  // The other failure codes: 13 timeout -> 601; 11 CORS, 12 network, 14 decoding -> 600.
  const failing = async (error, errorMessage) => {
    rt.failWith(() => ({ error, errorMessage }))
    return (await settle(BaaS.refund(inner(rt, { order_id: 47965 })))).error
  }
  const timeout = await failing(13, '请求超时')
  assert.equal(timeout.code, 601)
  assert.match(timeout.message, /outcome is unknown/)
  const cors = await failing(11, '无权跨域')
  assert.equal(cors.code, 600)
  assert.match(cors.message, /error 11 .*whitelist.*无权跨域/)
  const network = await failing(12, '网络出错')
  assert.equal(network.code, 600)
  assert.match(network.message, /outcome is unknown/)
  assert.match(network.message, /error 12 network error: 网络出错/)
  const decode = await failing(14, '解码失败')
  assert.equal(decode.code, 600)
  assert.match(decode.message, /error 14 the answer could not be decoded/)
  // None of the failed ones reached the server.
  assert.equal((await requests()).filter(r => r.path.startsWith('/hserve/')).length, 9 + 2)
})

test('Alipay: examples/miniprogram-alipay lists orders on load and refunds the one tapped', async () => {
  await assertExamplePage('alipay', 'android')
})

test('Alipay without MyWebAssembly (base library < 2.9.7 or client < 10.5.60): HError 611 naming both', async () => {
  const rt = runtime({ platform: 'alipay', engine: false, token: ADMIN_TOKEN, dir: codePackage('alipay') })
  const { BaaS } = rt.require(MODULE)
  const e = (await settle(BaaS.init(CLIENT_ID, inner(rt, { host: EMULATOR })))).error
  assert.ok(e instanceof BaaS.HError)
  assert.equal(e.code, 611)
  assert.match(e.message, /^611: .*Alipay base library >= 2\.9\.7 and client >= 10\.5\.60/)
  assert.equal((await settle(new BaaS.Order().getOrderList())).error, e)
  assert.deepEqual(rt.trace.requests, [])
})
