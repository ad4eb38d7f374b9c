// Simulated mini-program runtimes, each a bare `vm` context that holds only
// what that runtime provides (ECMAScript built-ins, setTimeout, console and
// the platform's objects): no fetch, TextEncoder/TextDecoder, WebAssembly,
// URL, localStorage, process or require. The code package is a folder laid
// out as each IDE lays it out; modules in it are loaded by a small CommonJS
// `require` with the runtime's resolution of package names. What each
// runtime's documentation says, and this enforces:
// - WeChat: `wx.request({ url, method, header, data, dataType, responseType,
//   timeout, success({ data, statusCode, header }), fail({ errMsg }) })`;
//   `wx.getStorageSync(key)`; `WXWebAssembly.instantiate(absolutePath,
//   imports)` from base library 2.13.0, `.wasm.br` from 2.14.0; on iOS
//   exports may be functions, Memory and Table only (no Global).
// - Alipay: `my.request({ url, method, headers, data, dataType, timeout,
//   success({ data, status, headers }), fail({ error, errorMessage }) })`,
//   header values strings, an HTTP status >= 400 failing with error 19 and
//   `status`; `my.getStorageSync({ key }).data`;
//   `MyWebAssembly.instantiate(absolutePath, imports)` (.wasm or .wasm.br).
import assert from 'node:assert/strict'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import vm from 'node:vm'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { installDir } from './install.mjs'

export const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples')
const TOKEN_KEY = 'ifx_baas_auth_token'
/** What no mini-program runtime has; each simulation checks its context lacks all of them. */
export const ABSENT = ['fetch', 'TextEncoder', 'TextDecoder', 'WebAssembly', 'URL', 'localStorage', 'process', 'require', 'Buffer', 'Headers', 'Response', 'AbortController']

/**
 * A code package: the example project `example` (a folder of examples/, or
 * none) plus the installed package where the platform's IDE puts it.
 * WeChat's "build npm" copies the package's `miniprogram` folder to
 * miniprogram_npm/baas-order/; Alipay's IDE keeps node_modules/ as npm
 * installed it.
 */
export function codePackage(platform, example, config) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `baas-mp-${platform}-`))
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }))
  if (example) fs.cpSync(path.join(EXAMPLES, example), dir, { recursive: true })
  if (config) fs.writeFileSync(path.join(dir, 'config.js'), `module.exports = ${JSON.stringify(config)}\n`)
  const installed = path.join(installDir(), 'node_modules', 'baas-order')
  if (platform === 'wechat') {
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'))
    fs.cpSync(path.join(installed, manifest.miniprogram), path.join(dir, 'miniprogram_npm', 'baas-order'), { recursive: true })
  } else {
    fs.cpSync(installed, path.join(dir, 'node_modules', 'baas-order'), { recursive: true })
  }
  return dir
}

/**
 * A runtime: `{ context, require, pages, trace, failNext, run }`.
 * options: platform 'wechat' | 'alipay'; os 'android' | 'ios'; engine (false:
 * no WXWebAssembly / MyWebAssembly); sdkVersion (WeChat base library);
 * token (in the platform's storage).
 */
export function runtime({ platform, os: system = 'android', engine = true, sdkVersion = '3.3.4', token, dir }) {
  const trace = { wasmPaths: [], refused: [], requests: [] }
  const storage = token === undefined ? {} : { [TOKEN_KEY]: token }
  const pages = []
  const apps = []
  // The next request fails as the runtime would: (options) => the fail argument.
  let failNext = null
  const sandbox = { setTimeout, clearTimeout, console, Page: o => pages.push(o), App: o => apps.push(o) }
  const context = vm.createContext(sandbox, { name: `${platform} ${system}` })
  vm.runInContext(ABSENT.map(n => `delete globalThis.${n};`).join(''), context)

  const engineObject = {
    instantiate(p, imports) {
      trace.wasmPaths.push(p)
      return Promise.resolve().then(() => {
        if (typeof p !== 'string' || !p.startsWith('/')) throw new Error(`instantiate: ${p} is not an absolute code-package path`)
        if (!/\.wasm(\.br)?$/.test(p)) throw new Error(`instantiate: ${p} is not a .wasm or .wasm.br file`)
        if (p.endsWith('.br') && platform === 'wechat' && older(sdkVersion, '2.14.0')) throw new Error(`instantiate: .wasm.br needs base library 2.14.0`)
        const file = path.join(dir, p)
        if (!file.startsWith(dir + path.sep) || !fs.existsSync(file)) throw new Error(`instantiate: no file ${p} in the code package`)
        const raw = fs.readFileSync(file)
        const bytes = p.endsWith('.br') ? zlib.brotliDecompressSync(raw) : raw
        const module = new WebAssembly.Module(bytes)
        const globals = WebAssembly.Module.exports(module).filter(e => e.kind === 'global')
        if (platform === 'wechat' && system === 'ios' && globals.length) {
          trace.refused.push(globals.map(g => g.name))
          throw new Error(`instantiate: export of Global (${globals.map(g => g.name).join(', ')}) is not supported on iOS`)
        }
        return WebAssembly.instantiate(module, imports).then(instance => ({ instance, module }))
      })
    },
  }

  const api = platform === 'wechat' ? wechat() : alipay()
  if (platform === 'wechat') {
    sandbox.wx = api
    if (engine) sandbox.WXWebAssembly = engineObject
  } else {
    sandbox.my = api
    if (engine) sandbox.MyWebAssembly = engineObject
  }
  for (const n of ABSENT) assert.equal(vm.runInContext(`typeof ${n}`, context), 'undefined', `${n} is absent in the simulated runtime`)

  function wechat() {
    return {
      getStorageSync: key => (key in storage ? storage[key] : ''),
      getSystemInfoSync: () => ({ platform: system, SDKVersion: sdkVersion }),
      request(o) {
        const failure = failNext && failNext(o)
        failNext = null
        send(o, o.header, failure, {
          ok: (status, headers, text) => o.success({ statusCode: status, header: headers, data: o.dataType === 'json' ? JSON.parse(text) : text }),
          fail: e => o.fail(e),
          error: msg => o.fail({ errMsg: 'request:fail ' + msg }),
        })
        return { abort() {} }
      },
    }
  }

  function alipay() {
    return {
      getStorageSync: ({ key }) => ({ data: key in storage ? storage[key] : null }),
      getSystemInfoSync: () => ({ platform: system === 'ios' ? 'iOS' : 'Android', version: '10.5.60' }),
      request(o) {
        const bad = Object.entries(o.headers || {}).find(([, v]) => typeof v !== 'string')
        const failure = bad ? { error: 2, errorMessage: `header ${bad[0]} is not a string` } : failNext && failNext(o)
        failNext = null
        const data = (text, type) => (type === 'text' ? text : JSON.parse(text))
        send(o, o.headers, failure, {
          ok: (status, headers, text) =>
            status >= 400 ? o.fail({ error: 19, errorMessage: 'http status error', status, headers }) : o.success({ status, headers, data: data(text, o.dataType || 'json') }),
          fail: e => o.fail(e),
          error: msg => o.fail({ error: /timeout/.test(msg) ? 13 : 12, errorMessage: msg }),
        })
      },
    }
  }

  // Sends over node:http (the platform's field names already applied), or fails as told.
  function send(o, headers, failure, on) {
    trace.requests.push({ url: o.url, method: o.method, headers })
    if (failure) {
      setTimeout(() => on.fail(failure), 0)
      return
    }
    const u = new globalThis.URL(o.url)
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: o.method, headers, timeout: o.timeout }, res => {
      const chunks = []
      res.on('data', c => chunks.push(c))
      res.on('end', () => on.ok(res.statusCode, { ...res.headers }, Buffer.concat(chunks).toString('utf8')))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', e => on.error(e.message))
    if (o.data !== undefined) req.write(o.data)
    req.end()
  }

  // CommonJS in the code package: relative paths from the requiring file;
  // package names from miniprogram_npm/ (WeChat) or node_modules/ (Alipay).
  const cache = new Map()
  function load(file) {
    if (cache.has(file)) return cache.get(file).exports
    assert.ok(file.startsWith(dir + path.sep) && fs.existsSync(file), `require: no ${path.relative(dir, file)} in the code package`)
    const module = { exports: {} }
    cache.set(file, module)
    const fn = vm.runInContext(`(function (module, exports, require) {${fs.readFileSync(file, 'utf8')}\n})`, context, { filename: file })
    fn(module, module.exports, requireFrom(path.dirname(file)))
    return module.exports
  }
  const withJs = f => (f.endsWith('.js') ? f : f + '.js')
  const requireFrom = from => spec => {
    if (spec.startsWith('.') || spec.startsWith('/')) return load(withJs(path.join(spec.startsWith('/') ? dir : from, spec)))
    const [name, ...rest] = spec.split('/')
    const base = path.join(dir, platform === 'wechat' ? 'miniprogram_npm' : 'node_modules', name)
    return load(withJs(rest.length ? path.join(base, ...rest) : path.join(base, 'index')))
  }

  return {
    context,
    require: requireFrom(dir),
    pages,
    apps,
    trace,
    failWith(fn) {
      failNext = fn
    },
    /** Compiles a seed block inside the runtime, as a function of (BaaS, order). */
    compile: block => vm.runInContext(`(function (BaaS, order) {${block}\n})`, context),
  }
}

function older(v, than) {
  const a = String(v).split('.').map(Number)
  const b = than.split('.').map(Number)
  for (let i = 0; i < b.length; i++) if ((a[i] || 0) !== b[i]) return (a[i] || 0) < b[i]
  return false
}

/**
 * Loads a page of the code package and drives it like the runtime: `Page()`
 * is captured, `this` is a page instance whose `setData` records every call.
 */
export function openPage(rt, file) {
  const before = rt.pages.length
  rt.require(file)
  assert.equal(rt.pages.length, before + 1, `${file} registers one Page()`)
  const def = rt.pages[before]
  const page = Object.create(def)
  page.data = JSON.parse(JSON.stringify(def.data || {}))
  page.setDataCalls = []
  page.setData = d => {
    const copy = JSON.parse(JSON.stringify(d))
    page.setDataCalls.push(copy)
    Object.assign(page.data, copy)
  }
  return page
}

/** Settles a promise into { value } or { error }, for recording. */
export const settle = p => Promise.resolve(p).then(value => ({ value }), error => ({ error }))

/** A plain JSON value made inside the runtime (so it is that realm's Object / Array). */
export const inner = (rt, v) => vm.runInContext(`(${JSON.stringify(v)})`, rt.context)

const summary = (BaaS, r) =>
  r.value ? { status: r.value.status, data: r.value.data } : { code: r.error.code, message: r.error.message, isHError: r.error instanceof BaaS.HError }

/**
 * Runs the seed document's examples verbatim inside the runtime, then a real
 * WeChat multi sharing and one `get`; returns what each call settled to.
 */
export async function runSeed(rt, BaaS, seed) {
  const rec = seed.recordingBaaS(BaaS)
  const out = {}
  for (const group of ['listBlocks', 'refundBlocks', 'sharingBlocks']) {
    const results = await seed.runBlocks(rec, seed[group], rt.compile)
    out[group] = results.map(r => r.calls.map(c => ({ name: c.name, result: summary(BaaS, c.result) })))
  }
  const order = new BaaS.Order()
  out.share = summary(
    BaaS,
    await settle(
      order.wechatPay.multiProfitSharing(
        inner(rt, {
          trade_no: 'wxshare0000000000000000000000002',
          appid: 'wx3b040d33346exxxx',
          receivers: [{ type: 'PERSONAL_OPENID', account: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', amount: 10, description: '分账' }],
        }),
      ),
    ),
  )
  out.get = summary(BaaS, await settle(order.get('v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw')))
  return out
}

/** The seed run's outcome, the same on every runtime that has an engine. */
export function assertSeedRun(out) {
  assert.equal(out.listBlocks.length, 4)
  for (const [call] of out.listBlocks) {
    assert.equal(call.result.status, 200, JSON.stringify(call.result))
    assert.deepEqual(Object.keys(call.result.data).sort(), ['meta', 'objects'])
    assert.ok(call.result.data.objects.length > 0)
  }
  assert.equal(out.listBlocks[0][0].result.data.objects.every(o => o.gateway_type === 'weixin_tenpay'), true)
  assert.equal(out.listBlocks[3][0].result.data.meta.offset, 20)
  assert.deepEqual(
    out.refundBlocks.map(([c]) => [c.result.status, c.result.data.status, c.result.data.refund_amount]),
    [[200, 'succeed', '398.00'], [200, 'succeed', '120.00'], [200, 'succeed', '88.00']],
  )
  // The sharing examples as printed carry placeholders: refused before sending.
  for (const [call] of out.sharingBlocks) {
    assert.equal(call.result.code, 605)
    assert.equal(call.result.isHError, true)
    assert.match(call.result.message, /receivers\[0\]\.type/)
  }
  assert.equal(out.share.status, 200)
  assert.equal(out.share.data.return_code, 'SUCCESS')
  assert.equal(out.get.status, 200)
  assert.equal(out.get.data.transaction_no, 'v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw')
}
