// The package in a mini-program: a child Node process simulates WeChat's
// runtime (see miniprogram-runtime.mjs) and runs the seed's examples.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { installDir } from './install.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, reset, requests } from './emulator.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))

test('seed examples run in a simulated WeChat mini-program (wx.request, WXWebAssembly, no fetch/TextDecoder)', async () => {
  await reset()
  // The code package: what WeChat's "build npm" makes of the package's `miniprogram` field.
  const installed = path.join(installDir(), 'node_modules', 'baas-order')
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'))
  assert.equal(manifest.miniprogram, 'miniprogram')
  const codePackage = fs.mkdtempSync(path.join(os.tmpdir(), 'baas-mp-'))
  fs.cpSync(path.join(installed, manifest.miniprogram), path.join(codePackage, 'miniprogram_npm', 'baas-order'), { recursive: true })

  const stdout = execFileSync(process.execPath, [path.join(here, 'miniprogram-runtime.mjs'), codePackage, EMULATOR, CLIENT_ID, ADMIN_TOKEN], {
    encoding: 'utf8',
    timeout: 60_000,
  })
  const out = JSON.parse(stdout.trim().split('\n').pop())
  assert.equal(out.crash, undefined, out.crash)

  // The runtime really lacked the web APIs, and the wasm came from the code package.
  assert.deepEqual(out.trace.absent, [])
  assert.deepEqual(out.trace.wasmPaths, ['/miniprogram_npm/baas-order/baas_order_bg.wasm'])

  // List examples: resolved with the documented shape.
  assert.equal(out.listBlocks.length, 4)
  for (const [call] of out.listBlocks) {
    assert.equal(call.result.status, 200, JSON.stringify(call.result))
    assert.deepEqual(Object.keys(call.result.data).sort(), ['meta', 'objects'])
    assert.ok(call.result.data.objects.length > 0)
  }
  assert.equal(out.listBlocks[0][0].result.data.objects.every(o => o.gateway_type === 'weixin_tenpay'), true)
  assert.equal(out.listBlocks[3][0].result.data.meta.offset, 20)
  // Refund examples: the whole amount, status succeed.
  assert.deepEqual(
    out.refundBlocks.map(([c]) => [c.result.status, c.result.data.status, c.result.data.refund_amount]),
    [[200, 'succeed', '398.00'], [200, 'succeed', '120.00'], [200, 'succeed', '88.00']],
  )
  // Sharing examples as printed: placeholders refused before sending.
  for (const [call] of out.sharingBlocks) {
    assert.equal(call.result.code, 605)
    assert.equal(call.result.isHError, true)
    assert.match(call.result.message, /receivers\[0\]\.type/)
  }
  assert.equal(out.share.status, 200)
  assert.equal(out.share.data.return_code, 'SUCCESS')
  // wx.request failing: HError 600, and the refund says its outcome is unknown.
  assert.equal(out.networkFailure.code, 600)
  assert.match(out.networkFailure.message, /ERR_CONNECTION_REFUSED/)
  assert.match(out.networkFailure.message, /outcome is unknown/)
  assert.equal(out.timeout.code, 601)

  // On the wire: platform WECHAT, the token minapp-sdk stored in wx storage, one wx.request per call.
  const sent = (await requests()).filter(r => r.path.startsWith('/hserve/'))
  assert.equal(sent.length, 9, "4 lists, 3 refunds, 1 sharing, 1 get (the placeholders were never sent)")
  for (const r of sent) {
    assert.equal(r.headers['x-hydrogen-client-platform'], 'WECHAT')
    assert.equal(r.headers.authorization, `Hydrogen-r1 ${ADMIN_TOKEN}`)
  }
  const viaWx = out.trace.requests
  assert.equal(viaWx, sent.length + 1, 'every request went through wx.request (plus the one it failed on purpose)')
})
