// WeChat on Android, simulated (see miniprogram-sim.mjs): `wx` and
// WXWebAssembly in a bare vm context. The seed's examples, the failures of
// wx.request as HErrors, and the example project's page.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import * as seed from './seed.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, reset, requests, fault } from './emulator.mjs'
import { codePackage, runtime, runSeed, assertSeedRun, inner, settle } from './miniprogram-sim.mjs'
import { assertExamplePage } from './miniprogram-page.mjs'

const WASM = '/miniprogram_npm/baas-order/baas_order_bg.wasm.br'

test('WeChat Android: the seed examples over wx.request, the wasm from the code package', async () => {
  await reset()
  const dir = codePackage('wechat')
  const rt = runtime({ platform: 'wechat', os: 'android', token: ADMIN_TOKEN, dir })
  const { BaaS } = rt.require('baas-order')
  await BaaS.init(CLIENT_ID, inner(rt, { host: EMULATOR }))
  assert.deepEqual(rt.trace.wasmPaths, [WASM])
  assertSeedRun(await runSeed(rt, BaaS, seed))

  // On the wire: platform WECHAT, the token from wx storage, every request through wx.request's `header`.
  const sent = (await requests()).filter(r => r.path.startsWith('/hserve/'))
  assert.equal(sent.length, 9, '4 lists, 3 refunds, 1 sharing, 1 get (the placeholders were never sent)')
  for (const r of sent) {
    assert.equal(r.headers['x-hydrogen-client-platform'], 'WECHAT')
    assert.equal(r.headers.authorization, `Hydrogen-r1 ${ADMIN_TOKEN}`)
  }
  assert.equal(rt.trace.requests.length, sent.length)

  // wx.request failing: fail({ errMsg }) is 600, and a refund says its outcome is unknown.
  rt.failWith(() => ({ errMsg: 'request:fail net::ERR_CONNECTION_REFUSED' }))
  const refused = (await settle(BaaS.refund(inner(rt, { order_id: 47965 })))).error
  assert.ok(refused instanceof BaaS.HError)
  assert.equal(refused.code, 600)
  assert.match(refused.message, /outcome is unknown/)
  assert.match(refused.message, /request:fail net::ERR_CONNECTION_REFUSED/)
  rt.failWith(() => ({ errMsg: 'request:fail timeout' }))
  assert.equal((await settle(new BaaS.Order().get('v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw'))).error.code, 601)
  // No answer in time (the server holds it): 601 from the SDK's own timer or wx's.
  await fault({ kind: 'delay', delay_ms: 1500 })
  await BaaS.init(CLIENT_ID, inner(rt, { host: EMULATOR, timeout: 300 }))
  assert.equal((await settle(new BaaS.Order().get('v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw'))).error.code, 601)
  // The wasmPath override is kept: the wasm moved elsewhere in the code package loads from there.
  fs.mkdirSync(path.join(dir, 'lib'))
  fs.copyFileSync(path.join(dir, WASM), path.join(dir, 'lib', 'baas.wasm.br'))
  const other = runtime({ platform: 'wechat', os: 'android', token: ADMIN_TOKEN, dir })
  const moved = other.require('baas-order').BaaS
  await moved.init(CLIENT_ID, inner(other, { host: EMULATOR, wasmPath: '/lib/baas.wasm.br' }))
  assert.deepEqual(other.trace.wasmPaths, ['/lib/baas.wasm.br'])
  assert.equal((await new moved.Order().get('v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw')).status, 200)
})

test('WeChat Android: examples/miniprogram-wechat lists orders on load and refunds the one tapped', async () => {
  await assertExamplePage('wechat', 'android')
})
