// The mini-program build in `jsc --useJIT=false` (JavaScriptCore's
// interpreters only, as on iOS) with the runtime's globals only: WeChat on
// iOS (no Global exports) and Alipay. The answers are the emulator's,
// bridged (jsc.mjs). The Node vm simulations in tests/js stay for what they
// cover better (failure codes injected per request, the example pages).
import { test, before } from 'node:test'
import assert from 'node:assert/strict'
import * as seed from '../js/seed.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, FIXTURES as F, PATHS, reset, requests } from '../js/emulator.mjs'
import { assertSeedRun } from '../js/miniprogram-sim.mjs'
import { runInJsc, jscVersion } from './jsc.mjs'

const TEXT = '退款：顾客取消 𠮷野家 🧧'

const cfg = module => ({
  module,
  emulator: EMULATOR,
  clientID: CLIENT_ID,
  token: ADMIN_TOKEN,
  blocks: { listBlocks: seed.listBlocks, refundBlocks: seed.refundBlocks, sharingBlocks: seed.sharingBlocks },
  recordingBaaS: seed.recordingBaaS.toString(),
  runBlocks: seed.runBlocks.toString(),
  fixtures: F,
  text: TEXT,
})

before(async () => {
  console.log(`# engine: jsc (JavaScriptCore ${await jscVersion()}) --useJIT=false`)
})

/** The run's outcome, the same on both platforms. */
function assertRun(run, platform) {
  const r = run.result
  assert.ok(r, 'jsc printed a result')
  assert.ok(!r.threw, `the program threw in jsc: ${r.threw}\n${r.stack}\n${run.log.join('\n')}`)
  const out = r.value
  assertSeedRun(out)
  assert.equal(out.e605.code, 605, JSON.stringify(out.e605))
  assert.equal(out.e605.isHError, true)
  assert.match(out.e605.field, /^order_id\b/)
  assert.equal(out.e404.code, 404, JSON.stringify(out.e404))
  assert.equal(out.e404.isHError, true)
  assert.equal(out.refundText.status, 200, JSON.stringify(out.refundText))
  assert.equal(out.refundText.data.memo, TEXT)
  assert.ok(out.iterate.count > 200)
  assert.equal(out.iterate.unique, out.iterate.count)
  // Every bridged request went to the emulator; none is answered by this side's own text.
  assert.equal(r.trace.requests, run.requests.length)
  console.log(`# jsc ${platform}: ${run.requests.length} requests bridged, ${run.ms} ms`)
}

test('WeChat iOS in jsc --useJIT=false: the seed examples, 605, 404, CJK refund, iterate', async () => {
  await reset()
  const run = await runInJsc({ platform: 'wechat', os: 'ios', cfg: cfg('baas-order') })
  assertRun(run, 'wechat ios')
  assert.deepEqual(run.result.trace.wasmPaths, ['/miniprogram_npm/baas-order/baas_order_bg.wasm.br'])
  assert.deepEqual(run.result.trace.refused, [], 'no Global exports (refused on iOS)')
  const sent = (await requests()).filter(r => r.path.startsWith('/hserve/'))
  assert.equal(sent.length, run.requests.length)
  assert.ok(sent.every(r => r.headers['x-hydrogen-client-platform'] === 'WECHAT'))
  const refund = sent.find(r => r.method === 'POST' && r.path === PATHS.refund && JSON.parse(r.body).memo === TEXT)
  assert.ok(refund, 'the CJK/astral memo reached the emulator intact')
})

test('Alipay (iOS) in jsc --useJIT=false: the same, over my.request', async () => {
  await reset()
  const run = await runInJsc({ platform: 'alipay', os: 'ios', cfg: cfg('baas-order/miniprogram/index.js') })
  assertRun(run, 'alipay ios')
  assert.deepEqual(run.result.trace.wasmPaths, ['/node_modules/baas-order/miniprogram/baas_order_bg.wasm.br'])
  const sent = (await requests()).filter(r => r.path.startsWith('/hserve/'))
  assert.equal(sent.length, run.requests.length)
  for (const r of sent) {
    assert.equal(r.headers['x-hydrogen-client-platform'], 'ALIPAY')
    assert.equal(r.headers.authorization, `Hydrogen-r1 ${ADMIN_TOKEN}`)
  }
})
