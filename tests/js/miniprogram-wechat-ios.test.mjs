// WeChat on iOS, simulated: as Android, but WXWebAssembly refuses any module
// that exports a Global (WeChat's WXWebAssembly documentation: exports may be
// functions, Memory and Table; iOS does not support Global).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import * as seed from './seed.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, reset, requests } from './emulator.mjs'
import { installDir } from './install.mjs'
import { codePackage, runtime, runSeed, assertSeedRun, inner, settle } from './miniprogram-sim.mjs'
import { assertExamplePage } from './miniprogram-page.mjs'

test('the wasm every mini-program loads exports only functions, memories and tables', () => {
  const pkg = path.join(installDir(), 'node_modules', 'baas-order')
  const br = zlib.brotliDecompressSync(fs.readFileSync(path.join(pkg, 'miniprogram', 'baas_order_bg.wasm.br')))
  // The brotli file is the very wasm browsers and Node load.
  assert.ok(br.equals(fs.readFileSync(path.join(pkg, 'baas_order_bg.wasm'))))
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(br))
  const globals = exports.filter(e => e.kind === 'global').map(e => e.name)
  assert.deepEqual(globals, [], `Global exports, refused by WeChat on iOS: ${globals.join(', ')}`)
  assert.deepEqual([...new Set(exports.map(e => e.kind))].sort(), ['function', 'memory', 'table'])
  // Nothing else ships in the folder "build npm" copies, but the marker that makes
  // index.js CommonJS for Node and bundlers and its types (require('baas-order/miniprogram/index.js')).
  assert.deepEqual(fs.readdirSync(path.join(pkg, 'miniprogram')).sort(), ['baas_order_bg.wasm.br', 'index.d.ts', 'index.js', 'package.json'])
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(pkg, 'miniprogram', 'package.json'), 'utf8')), { type: 'commonjs' })
})

test('WeChat iOS: the simulated engine refuses a module that exports a Global', async () => {
  // (module (global i32 (i32.const 0)) (export "g" (global 0)))
  const withGlobal = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 6, 6, 1, 0x7f, 0, 0x41, 0, 0x0b, 7, 5, 1, 1, 0x67, 3, 0])
  const dir = codePackage('wechat')
  fs.writeFileSync(path.join(dir, 'g.wasm'), withGlobal)
  const ios = runtime({ platform: 'wechat', os: 'ios', dir })
  const refused = await settle(ios.context.WXWebAssembly.instantiate('/g.wasm', {}))
  assert.match(String(refused.error && refused.error.message), /Global \(g\) is not supported on iOS/)
  const android = runtime({ platform: 'wechat', os: 'android', dir })
  assert.ok((await android.context.WXWebAssembly.instantiate('/g.wasm', {})).instance)
})

test('WeChat iOS: the seed examples run', async () => {
  await reset()
  const rt = runtime({ platform: 'wechat', os: 'ios', token: ADMIN_TOKEN, dir: codePackage('wechat') })
  const { BaaS } = rt.require('baas-order')
  await BaaS.init(CLIENT_ID, inner(rt, { host: EMULATOR }))
  assert.deepEqual(rt.trace.refused, [])
  assert.deepEqual(rt.trace.wasmPaths, ['/miniprogram_npm/baas-order/baas_order_bg.wasm.br'])
  assertSeedRun(await runSeed(rt, BaaS, seed))
  const sent = (await requests()).filter(r => r.path.startsWith('/hserve/'))
  assert.equal(sent.length, 9)
  assert.ok(sent.every(r => r.headers['x-hydrogen-client-platform'] === 'WECHAT'))
})

test('WeChat iOS: examples/miniprogram-wechat lists orders on load and refunds the one tapped', async () => {
  await assertExamplePage('wechat', 'ios')
})
