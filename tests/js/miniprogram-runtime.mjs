// A simulated WeChat mini-program runtime, run as its own Node process by
// miniprogram.test.mjs: no fetch, TextDecoder, TextEncoder, WebAssembly,
// Headers/Request/Response/AbortController or localStorage; instead `wx`
// (request over node:http, getStorageSync) and `WXWebAssembly.instantiate(path)`
// reading the file from the "code package". The package's miniprogram/ folder
// is placed where WeChat's "build npm" puts it (miniprogram_npm/baas-order/).
// It runs the seed document's examples verbatim and prints what happened as
// one JSON line.
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { createRequire } from 'node:module'

const [codePackage, emulator, clientID, token] = process.argv.slice(2)
const realWebAssembly = globalThis.WebAssembly
const removed = ['fetch', 'TextDecoder', 'TextEncoder', 'WebAssembly', 'Headers', 'Request', 'Response', 'AbortController', 'localStorage']
for (const name of removed) delete globalThis[name]

const trace = { wasmPaths: [], requests: 0, absent: removed.filter(n => typeof globalThis[n] !== 'undefined') }
const storage = { ifx_baas_auth_token: token }
let failNext = false

globalThis.WXWebAssembly = {
  instantiate(p, imports) {
    trace.wasmPaths.push(p)
    return realWebAssembly.instantiate(fs.readFileSync(path.join(codePackage, p)), imports)
  },
}
globalThis.wx = {
  getStorageSync: key => storage[key] ?? '',
  // wx.request: callbacks, `header`, `statusCode`, data as text when dataType isn't 'json'.
  request(o) {
    trace.requests++
    if (failNext) {
      failNext = false
      setTimeout(() => o.fail({ errMsg: 'request:fail net::ERR_CONNECTION_REFUSED' }), 0)
      return { abort() {} }
    }
    const u = new URL(o.url)
    const req = http.request(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, method: o.method, headers: o.header, timeout: o.timeout },
      res => {
        const chunks = []
        res.on('data', c => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          o.success({ statusCode: res.statusCode, header: res.headers, data: o.dataType === 'json' ? JSON.parse(text) : text })
        })
      },
    )
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', e => o.fail({ errMsg: 'request:fail ' + (e.message === 'timeout' ? 'timeout' : e.message) }))
    if (o.data !== undefined) req.write(o.data)
    req.end()
    return { abort: () => req.destroy() }
  },
}

const seed = await import('./seed.mjs')
const require = createRequire(path.join(codePackage, 'app.js'))
const { BaaS } = require('./miniprogram_npm/baas-order/index.js')
const summary = v => (v && v.value ? { status: v.value.status, data: v.value.data } : { code: v.error.code, message: v.error.message, isHError: v.error instanceof BaaS.HError })

const out = { trace }
try {
  await BaaS.init(clientID, { host: emulator })
  const rec = seed.recordingBaaS(BaaS)
  for (const group of ['listBlocks', 'refundBlocks', 'sharingBlocks']) {
    const results = await seed.runBlocks(rec, seed[group])
    out[group] = results.map(r => r.calls.map(c => ({ name: c.name, args: c.args, result: summary(c.result) })))
  }
  // The documented multi sharing with real values, then the error paths.
  const order = new BaaS.Order()
  const share = await order.wechatPay
    .multiProfitSharing({
      trade_no: 'wxshare0000000000000000000000002',
      appid: 'wx3b040d33346exxxx',
      receivers: [{ type: 'PERSONAL_OPENID', account: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', amount: 10, description: '分账' }],
    })
    .then(value => ({ value }), error => ({ error }))
  out.share = summary(share)
  failNext = true
  out.networkFailure = summary(await BaaS.refund({ order_id: 47965 }).then(value => ({ value }), error => ({ error })))
  await fetchControl('faults', { kind: 'delay', delay_ms: 1500, count: 1 })
  await BaaS.init(clientID, { host: emulator, timeout: 300 })
  out.timeout = summary(await order.get('v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw').then(value => ({ value }), error => ({ error })))
} catch (e) {
  out.crash = String((e && e.stack) || e)
}
process.stdout.write(JSON.stringify(out) + '\n')

// The emulator's test controls, over node:http (fetch is gone here).
function fetchControl(name, body) {
  const u = new URL(emulator)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: '/__emulator/' + name, method: 'POST', headers: { 'content-type': 'application/json', 'x-emulator-token': process.env.BAAS_EMULATOR_CONTROL_TOKEN } }, res => {
      res.resume()
      res.on('end', resolve)
    })
    req.on('error', reject)
    req.end(JSON.stringify(body))
  })
}
