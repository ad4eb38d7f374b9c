// Property test of the packed package at its JS boundary: fast-check
// generates hostile values for every method and option (cyclic and shared
// graphs, huge strings, Proxies, getters, BigInt, Symbols, lone surrogates,
// re-entrant getters, misbehaving `request` functions, per-call options with
// real and hostile signals, BaaS.Query operators). Every call must
// return or throw an HError (sync calls), or settle with a reply or an HError
// (async calls) within a hang guard; nothing may be sent after a 605 (the
// emulator's recorded requests); no message may hold the token; and the
// module must still work afterwards.
//
// A second property: generated interleavings of init
// (two hosts, with and without a token, refused by the core or the shell),
// setToken (good and refused), clearToken, calls (a GET and a refund),
// awaited or not, some made while the wasm loads (a fresh copy of the
// package) and some after. No request may reach a host other than the one
// configured when the call was made, nor a token a host it was not given for
// (tests/js/ordering-model.mjs holds the rule and the check).
//
// Seeded and bounded for CI: BAAS_FUZZ_SEED (default 1212), BAAS_FUZZ_RUNS
// (default 800), BAAS_FUZZ_ORDER_RUNS (default 150, about 1.5 s). `cargo
// xtask fuzz --minutes N` sets BAAS_FUZZ_MINUTES: the hostile-input property
// then runs for that long, and the ordering one 100 runs a minute, at most
// 1,000 (each run that starts while the wasm loads needs a fresh copy of the
// package, which stays in memory). Either way the counts are printed as one line starting with
// `fuzz counts:`, and the ordering ones as one starting with `fuzz ordering:`.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { importESM, freshCopy } from './install.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, FIXTURES as F, reset, requests, clearRequests } from './emulator.mjs'
import { A, B, run as runScript, check as checkScript, show } from './ordering-model.mjs'
import { compare } from './calls.mjs'

const { BaaS } = await importESM()
const { HError } = BaaS

const SEED = Number(process.env.BAAS_FUZZ_SEED || 1212)
const RUNS = Number(process.env.BAAS_FUZZ_RUNS || 800)
const MINUTES = Number(process.env.BAAS_FUZZ_MINUTES || 0)
// A fresh copy holds about 0.5 MB for good: at most 1,000 runs however long the fuzz.
const ORDER_RUNS = Number(process.env.BAAS_FUZZ_ORDER_RUNS || (MINUTES ? Math.min(1000, 100 * Math.ceil(MINUTES)) : 150))
const HANG_MS = 15_000 // a hang guard, not a timing assertion

const counts = { calls: 0, returned: 0, resolved: 0, herror: {}, nonHError: 0, hangs: 0, traps: 0, sentAfter605: 0, tokenInMessage: 0 }
const problems = []
const unhandled = []
process.on('unhandledRejection', e => unhandled.push(e))

const good = (options = {}) => BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN, ...options })

// --- hostile values ---------------------------------------------------------
const BIG = ['x'.repeat(1025), '订'.repeat(100_000), 'y'.repeat(10 * 1024 * 1024)]
const KEYS = [
  'order_id', 'trade_no', 'transaction_no', 'refund_amount', 'memo', 'receivers', 'appid', 'type', 'account',
  'amount', 'description', 'status', 'gateway_type', 'limit', 'offset', 'data', 'host', 'env', 'token', 'timeout',
  'endpoints', 'request', 'wasmPath', 'orderList', 'order', 'refund', '__proto__', 'constructor', '0',
  ADMIN_TOKEN, // a caller's key that is the token: an error naming it must not show it
]
const WORDS = [
  F.wxShare1, F.aliShare, F.transactionNo, F.tradeNo, F.appid, F.wechatMerchant, F.alipayUserId, 'MERCHANT_ID',
  'PERSONAL_OPENID', 'userId', 'loginName', '-created_at', 'success', 'weixin_tenpay', EMULATOR, 'http://127.0.0.1:1',
  ADMIN_TOKEN, 'bad\ntoken', '',
]
const ctx = { order: null, sharing: null } // the Order of the current call, for re-entrant getters

const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}
const loneSurrogate = fc
  .tuple(fc.string({ maxLength: 3 }), fc.integer({ min: 0xd800, max: 0xdfff }), fc.string({ maxLength: 3 }))
  .map(([a, u, b]) => a + String.fromCharCode(u) + b)

// Values fast-check holds are descriptions (it inspects what it generates,
// and a revoked Proxy or a throwing getter would break it); `make` builds the
// hostile value itself just before the call.
const special = kinds => fc.constantFrom(...kinds.map(k => ({ $: k })))
const leaf = fc.oneof(
  fc.constantFrom(undefined, null, true, false, 0, -0, 1, -5, 1.5, 1e21, 2 ** 64, Number.MAX_SAFE_INTEGER + 1, NaN, Infinity, 29973, 100),
  fc.double(),
  fc.integer(),
  fc.bigInt(),
  fc.constant(Symbol('s')),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  loneSurrogate,
  fc.constantFrom(0, 1, 2).map(i => ({ $: 'big', i })),
  fc.constantFrom(...WORDS),
  special(['fn', 'asyncFn', 'revoked', 'trapProxy', 'date', 'map', 'u8', 'sparse']),
)

// Twists applied to an object or array: cycles, sharing, getters, Proxies.
const twist = fc.constantFrom('none', 'none', 'cycle', 'share', 'throwingGetter', 'reentrantGetter', 'proxy', 'wide', 'deep')
function applyTwist(v, how) {
  if (v === null || typeof v !== 'object') return v
  try {
    switch (how) {
      case 'cycle':
        if (Array.isArray(v)) v.push(v, v)
        else Object.assign(v, { a: v, b: v, c: v })
        return v
      case 'share': {
        const s = { shared: v }
        return { x: s, y: s, z: [s, s, s], w: v }
      }
      case 'throwingGetter':
        Object.defineProperty(v, 'status', { enumerable: true, get() { throw new Error('getter') } })
        return v
      case 'reentrantGetter':
        Object.defineProperty(v, 'memo', {
          enumerable: true,
          get() {
            ctx.order && ctx.order.limit(1)
            BaaS.clearToken()
            return 'm'
          },
        })
        return v
      case 'proxy':
        return new Proxy(v, { get: (t, k) => (k === 'receivers' ? revoked() : Reflect.get(t, k)) })
      case 'wide':
        for (let i = 0; i < 3000; i++) v['k' + i] = v
        return v
      case 'deep': {
        let d = v
        for (let i = 0; i < 50; i++) d = { d }
        return d
      }
    }
  } catch {}
  return v
}

function make(x) {
  if (x === null || typeof x !== 'object') return x
  if (Array.isArray(x)) return x.map(make)
  switch (x.$) {
    case undefined:
      return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, make(v)]))
    case 'big': return BIG[x.i]
    case 'fn': return () => 1
    case 'asyncFn': return async () => { throw new Error('fn') }
    case 'revoked': return revoked()
    case 'trapProxy': return new Proxy({}, { ownKeys() { throw new Error('trap ownKeys') }, get() { throw new Error('trap get') } })
    case 'date': return new Date(0)
    case 'map': return new Map([[1, 2]])
    case 'u8': return new Uint8Array(8)
    case 'sparse': return new Array(2 ** 32 - 1)
    case 'signal': return signalOf(x.kind)
    case 'array': return applyTwist(x.items.map(make), x.twist)
    case 'object': return applyTwist(Object.fromEntries(x.entries.map(([k, v]) => [k, make(v)])), x.twist)
  }
  return x
}

// Per-call signals, real and hostile.
const SIGNALS = ['aborted', 'live', 'abortSoon', 'timeout', 'polyfill', 'throwingAdd', 'throwingRemove', 'noRemove', 'throwingAborted', 'syncFire', 'revoked']
function signalOf(kind) {
  const plain = { aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {} }
  switch (kind) {
    case 'aborted': return AbortSignal.abort('fuzz')
    case 'live': return new AbortController().signal
    case 'abortSoon': {
      const c = new AbortController()
      setTimeout(() => c.abort('soon'), 5)
      return c.signal
    }
    case 'timeout': return AbortSignal.timeout(10)
    case 'polyfill': return plain
    case 'throwingAdd': return { ...plain, addEventListener() { throw { notSent: 'pretend' } } }
    case 'throwingRemove': return { ...plain, removeEventListener() { throw new Error('remove') } }
    case 'noRemove': return { aborted: false, addEventListener() {} }
    case 'throwingAborted': return { ...plain, get aborted() { throw new Error('aborted getter') } }
    case 'syncFire': return { ...plain, addEventListener(_, f) { f({ type: 'abort' }) } }
    case 'revoked': return revoked()
  }
}

const { value: hostile } = fc.letrec(tie => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object')),
  array: fc.record({ $: fc.constant('array'), items: fc.array(tie('value'), { maxLength: 5 }), twist }),
  object: fc.record({
    $: fc.constant('object'),
    entries: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 5 })), tie('value')), { maxLength: 6 }),
    twist,
  }),
}))

// Plausible arguments with one hostile part, so validation gets deep.
const receiver = fc.record(
  { type: fc.oneof(fc.constantFrom('MERCHANT_ID', 'userId'), hostile), account: fc.oneof(fc.constant(F.wechatMerchant), hostile), amount: fc.oneof(fc.constant(1), hostile), description: fc.oneof(fc.constant('d'), hostile) },
  { requiredKeys: [] },
)
const sharing = fc.record({ trade_no: fc.oneof(fc.constantFrom(F.wxShare1, F.aliShare), hostile), appid: fc.oneof(fc.constant(F.appid), hostile), receivers: fc.oneof(fc.array(receiver, { maxLength: 4 }), hostile) }, { requiredKeys: [] })
const refundArg = fc.record({ order_id: fc.oneof(fc.constant(F.orderId), hostile), refund_amount: fc.oneof(fc.constant(0.01), hostile), memo: hostile, trade_no: hostile }, { requiredKeys: [] })
const arg = (plausible) => fc.oneof(hostile, plausible)

// A `request` option that misbehaves in one of many ways.
const requestFn = fc.constantFrom(
  'throws', 'rejects', 'never', 'twice', 'failThenSuccess', 'garbage', 'redirect', 'revokedReturn', 'badThenable', 'revokedAnswer', 'hugeAnswer', 'echoToken',
).map(kind => {
  const fn = o => {
    switch (kind) {
      case 'throws': throw new Error('sync')
      case 'rejects': return Promise.reject(new Error('async'))
      case 'never': return undefined
      case 'twice': o.success({ statusCode: 200, data: '{}' }); o.success({ statusCode: 500, data: '{}' }); return undefined
      case 'failThenSuccess': o.fail({ errMsg: 'x' }); o.success({ statusCode: 200, data: '{}' }); return undefined
      case 'garbage': o.success({ statusCode: 'x', data: Symbol('d') }); return undefined
      case 'redirect': o.success({ statusCode: 307, data: '{}' }); return undefined
      case 'revokedReturn': return revoked()
      case 'badThenable': return { then() { throw new Error('then') } }
      case 'revokedAnswer': o.success(revoked()); return undefined
      case 'hugeAnswer': o.success({ statusCode: 200, data: BIG[2] }); return undefined
      case 'echoToken': o.fail({ errMsg: String(o.header && o.header.Authorization) }); return undefined
    }
  }
  fn.toString = () => `request:${kind}`
  return fn
})

const signal = fc.constantFrom(...SIGNALS).map(kind => ({ $: 'signal', kind }))
const callOptions = fc.oneof(hostile, fc.record({ signal: fc.oneof(signal, signal, hostile), timeout: fc.oneof(fc.constantFrom(30, 200, 5000), hostile) }, { requiredKeys: [] }))
const QUERY_OPS = ['compare', 'in', 'notIn', 'contains', 'isNull', 'isNotNull', 'exists', 'notExists', 'matches', 'arrayContains', 'include', 'within', 'withinCircle', 'withinRegion', 'hasKey']
const SETTERS = ['offset', 'limit', 'orderBy', 'select', 'expand']
const setter = fc.tuple(fc.constantFrom(...SETTERS), fc.oneof(hostile, fc.constantFrom(0, 5, 20, '-created_at', 'status', ['id', 'status'])))
// An options object whose keys each hold a plausible value or a hostile one.
const opts = plausible => arg(fc.record(Object.fromEntries(Object.entries(plausible).map(([k, v]) => [k, fc.oneof(v, hostile)])), { requiredKeys: [] }))
const one = (...vs) => fc.constantFrom(...vs)
const listParams = arg(fc.record({ status: hostile, limit: hostile, offset: hostile, trade_no: hostile }, { requiredKeys: [] }))
const withCallOptions = a => fc.tuple(a, fc.option(callOptions, { nil: undefined }))
// The order's options (no `weixin_tenpay_js`: in Node it waits 10 s for a WeixinJSBridge).
const payOptions = gateways =>
  withCallOptions(opts({
    gatewayType: one(...gateways, 'alipay_page', 'weixin_tenpay_native', 'weixin_tenpay'),
    totalCost: one(0.01, '15.50', 1e-3, 0),
    merchandiseDescription: one('d', ''),
    merchandiseSchemaID: one(1, 1.5),
    merchandiseRecordID: one('r'),
    merchandiseSnapshot: one({ a: 1 }),
    profitSharing: fc.boolean(),
  }))
const wxReceiverOptions = opts({ mch_id: one('1501889000'), appid: one(F.appid), type: one('MERCHANT_ID', 'PERSONAL_OPENID'), account: one(F.wechatMerchant, F.wechatOpenid), relation_type: one('STORE', 'CUSTOM'), name: one('门店'), custom_relation: one('c') })
const aliReceivers = opts({ request_no: one('req_1', 'bad-no!'), receivers: fc.array(fc.record({ type: one('userId', 'loginName'), account: one(F.alipayUserId, F.alipayLogin), name: one('n') }), { maxLength: 2 }) })
// `waitForPayment` reads a paid order or a missing one, with short timeouts:
// a hostile `timeout` on an order never paid would wait five minutes.
const waitOptions = fc.oneof(hostile, fc.record({ timeout: fc.oneof(one(600, 1000), hostile), interval: fc.oneof(one(500), hostile), signal: fc.oneof(signal, hostile) }, { requiredKeys: [] }))
const queryArgs = fc.tuple(fc.array(fc.oneof(hostile, fc.constantFrom('status', 'total_cost', '=', '>', 'success', 1)), { maxLength: 3 }), fc.boolean())

// One generator for each public call (tests/js/calls.mjs walks the package
// for them; the first test below fails when a call has none, or when this
// table names one the package does not have): the arguments' arbitrary and
// how `run` makes the call. Two more kinds make calls through a misbehaving
// `request` option and with per-call options.
const GENERATORS = {
  'BaaS.init': fc.tuple(fc.oneof(fc.constant(CLIENT_ID), hostile), arg(fc.record({ host: hostile, token: hostile, timeout: hostile, env: hostile, endpoints: hostile, request: hostile, wasmPath: hostile }, { requiredKeys: [] }))),
  'BaaS.setToken': hostile,
  'BaaS.clearToken': fc.array(hostile, { maxLength: 1 }),
  'BaaS.refund': arg(refundArg),
  'BaaS.order': withCallOptions(arg(fc.record({ transactionID: fc.oneof(one(F.transactionNo, 'nope'), hostile) }, { requiredKeys: [] }))),
  'BaaS.getOrderList': withCallOptions(arg(fc.record({ status: hostile, limit: hostile, offset: hostile, order_by: hostile, where: hostile }, { requiredKeys: [] }))),
  'BaaS.pay': fc.tuple(arg(fc.record({ totalCost: fc.oneof(one(0.01), hostile), merchandiseDescription: fc.oneof(one('d'), hostile), profitSharing: hostile }, { requiredKeys: [] })), hostile, fc.option(callOptions, { nil: undefined })),
  'BaaS.payment.payWithWechat': payOptions(['weixin_tenpay_native', 'weixin_tenpay_wap']),
  'BaaS.payment.payWithAlipay': payOptions(['alipay_page', 'alipay_wap']),
  'BaaS.payment.payWithQQ': payOptions(['qpay_native']),
  ...Object.fromEntries(SETTERS.map(m => [`BaaS.Order#${m}`, setter.map(([, v]) => v)])),
  'BaaS.Order#setQuery': hostile,
  'BaaS.Order#getOrderList': fc.tuple(fc.array(setter, { maxLength: 3 }), arg(fc.record({ status: hostile, limit: hostile, offset: hostile }, { requiredKeys: [] }))),
  'BaaS.Order#iterate': withCallOptions(listParams),
  'BaaS.Order#get': arg(fc.constantFrom(F.transactionNo, 'nope')),
  'BaaS.Order#waitForPayment': fc.tuple(arg(one(F.transactionNo, 'nope')), waitOptions),
  'BaaS.Order#wechatPay.profitSharing': arg(sharing),
  'BaaS.Order#wechatPay.multiProfitSharing': arg(sharing),
  'BaaS.Order#alipay.profitSharing': arg(sharing),
  ...Object.fromEntries(QUERY_OPS.map(op => [`BaaS.Query#${op}`, queryArgs])),
  'BaaS.Query.and': queryArgs,
  'BaaS.Query.or': queryArgs,
  'BaaS.wechat.profitSharing.addReceiver': withCallOptions(wxReceiverOptions),
  'BaaS.wechat.profitSharing.removeReceiver': withCallOptions(wxReceiverOptions),
  'BaaS.wechat.profitSharing.Order#offset': arg(one(0, 1)),
  'BaaS.wechat.profitSharing.Order#limit': arg(one(1, 5)),
  'BaaS.wechat.profitSharing.Order#getOrderList': withCallOptions(listParams),
  'BaaS.wechat.profitSharing.Order#iterate': withCallOptions(listParams),
  'BaaS.wechat.profitSharing.Order#finish': withCallOptions(opts({ trade_no: one(F.wxShare2), appid: one(F.appid), description: one('完结') })),
  'BaaS.wechat.profitSharing.Order#refund': withCallOptions(opts({ trade_no: one(F.wxShare2), appid: one(F.appid), refund_no: one('r1'), type: one('MERCHANT_ID'), account: one(F.wechatMerchant), amount: one(1), description: one('回退') })),
  'BaaS.wechat.profitSharing.Order#getRefundmentOrder': withCallOptions(opts({ trade_no: one(F.wxShare2), appid: one(F.appid), refund_no: one('r1') })),
  'BaaS.alipay.profitSharing.addReceiver': withCallOptions(aliReceivers),
  'BaaS.alipay.profitSharing.removeReceiver': withCallOptions(aliReceivers),
  'BaaS.alipay.profitSharing.receiverQuery': withCallOptions(opts({ request_no: one('req_1'), page_num: one(1), page_size: one(20, 101) })),
  'BaaS.alipay.profitSharing.Order#offset': arg(one(0, 1)),
  'BaaS.alipay.profitSharing.Order#limit': arg(one(1, 5)),
  'BaaS.alipay.profitSharing.Order#getOrderList': withCallOptions(listParams),
  'BaaS.alipay.profitSharing.Order#iterate': withCallOptions(listParams),
}
const call = fc.oneof(
  ...Object.entries(GENERATORS).map(([name, args]) => fc.tuple(fc.constant(name), args)),
  fc.tuple(fc.constant('viaRequest'), fc.tuple(requestFn, fc.constantFrom('get', 'refund'))),
  fc.tuple(fc.constant('withOptions'), fc.tuple(fc.constantFrom('get', 'getOrderList', 'refund', 'iterate', 'finish'), callOptions)),
)

// --- one call, checked ------------------------------------------------------
function within(promise) {
  let timer
  const guard = new Promise(resolve => {
    timer = setTimeout(() => resolve({ hang: true }), HANG_MS)
  })
  return Promise.race([promise.then(value => ({ value }), error => ({ error })), guard]).finally(() => clearTimeout(timer))
}

function isHError(e) {
  try {
    return e instanceof HError && typeof e.code === 'number' && typeof e.message === 'string' && e.message.startsWith(e.code + ': ')
  } catch {
    return false
  }
}

function describe(e) {
  try {
    return `${e && e.name}: ${e && e.message}`
  } catch {
    return 'unprintable'
  }
}

// Returns a problem text, or null when the outcome is allowed.
async function outcome(label, settled) {
  counts.calls++
  if (settled.hang) {
    counts.hangs++
    return `${label}: did not settle within ${HANG_MS} ms`
  }
  if (!('error' in settled)) {
    counts[settled.async ? 'resolved' : 'returned']++
    return null
  }
  const e = settled.error
  if (/unreachable|RuntimeError/.test(describe(e))) {
    counts.traps++
    return `${label}: wasm trap ${describe(e)}`
  }
  if (!isHError(e)) {
    counts.nonHError++
    return `${label}: not an HError: ${describe(e)}`
  }
  counts.herror[e.code] = (counts.herror[e.code] || 0) + 1
  if (e.message.includes(ADMIN_TOKEN)) {
    counts.tokenInMessage++
    return `${label}: token in message ${e.message}`
  }
  if (e.code === 605) {
    const sent = (await requests()).filter(r => r.path.startsWith('/hserve/'))
    if (sent.length) {
      counts.sentAfter605++
      return `${label}: ${sent.length} request(s) sent with a 605: ${e.message}`
    }
  }
  return null
}

const sync = fn => {
  try {
    return { value: fn() }
  } catch (error) {
    return { error }
  }
}
const settle = async fn => {
  const r = sync(fn)
  if ('error' in r) return r
  if (!(r.value instanceof Promise)) return { error: new Error('an async call returned no Promise') }
  return { ...(await within(r.value)), async: true }
}

// A call that sends a list page: its setter, then the list, so the setter's value is sent.
const thenList = (name, set, list) => async (v, check) => {
  const r = sync(set(v))
  await check(name, r)
  await clearRequests()
  if ('value' in r) await check(`${name} then getOrderList`, await settle(list))
}
const ofOrder = (fn, order = () => ctx.order) => (a, check, name) => check(name, settle(() => fn(order(), a)))
const wxOrder = () => new BaaS.wechat.profitSharing.Order()
const aliOrder = () => new BaaS.alipay.profitSharing.Order()
// The first item of an iteration (a list of one page is enough to reach the checks).
const first = iterator => (async () => {
  for await (const _ of iterator) return
})()
// A BaaS.Query operator (`and` / `or` statics take queries, or the hostile values themselves), then setQuery and a list.
const query = op => async ([opArgs, joined], check) => {
  const Q = BaaS.Query
  const r = sync(() => {
    const q = new Q()
    if (op === 'and' || op === 'or') return Q[op](...opArgs.map(a => (joined ? q : a)))
    return q[op](...opArgs)
  })
  await check(`Query.${op}`, r)
  await clearRequests()
  if ('value' in r) {
    await check('setQuery', sync(() => ctx.order.setQuery(joined ? r.value : opArgs[0])))
    await clearRequests()
    await check('getOrderList after setQuery', await settle(() => ctx.order.getOrderList()))
  }
}

// Whether generated arguments hold a signal (see the pause at the end of `run`).
const hasSignal = x => x !== null && typeof x === 'object' && (x.$ === 'signal' || Object.values(x).some(hasSignal))

// How each generated call is made (`check(label, settled)` records its outcome).
const RUNNERS = {
  'BaaS.init': ([id, o], check, name) => check(name, settle(() => BaaS.init(id, o))),
  'BaaS.setToken': (v, check, name) => check(name, sync(() => BaaS.setToken(v))),
  'BaaS.clearToken': (a, check, name) => check(name, sync(() => BaaS.clearToken(...a))),
  'BaaS.refund': (a, check, name) => check(name, settle(() => BaaS.refund(a))),
  'BaaS.order': ([a, o], check, name) => check(name, settle(() => BaaS.order(a, o))),
  'BaaS.getOrderList': ([a, o], check, name) => check(name, settle(() => BaaS.getOrderList(a, o))),
  'BaaS.pay': ([a, onCreated, o], check, name) => check(name, settle(() => BaaS.pay(a, onCreated, o))),
  ...Object.fromEntries(['payWithWechat', 'payWithAlipay', 'payWithQQ'].map(m => [`BaaS.payment.${m}`, ([a, o], check, name) => check(name, settle(() => BaaS.payment[m](a, o)))])),
  ...Object.fromEntries(SETTERS.map(m => [`BaaS.Order#${m}`, (v, check) => thenList(m, v => () => ctx.order[m](v), () => ctx.order.getOrderList())(v, check)])),
  'BaaS.Order#setQuery': (v, check) => thenList('setQuery', v => () => ctx.order.setQuery(v), () => ctx.order.getOrderList())(v, check),
  'BaaS.Order#getOrderList': async ([setters, params], check, name) => {
    for (const [m, v] of setters) {
      await check(m, sync(() => ctx.order[m](v)))
      await clearRequests()
    }
    await check(name, await settle(() => ctx.order.getOrderList(params)))
  },
  'BaaS.Order#iterate': ofOrder((order, [p, o]) => first(order.limit(1).iterate(p, o))),
  'BaaS.Order#get': ofOrder((order, id) => order.get(id)),
  'BaaS.Order#waitForPayment': ofOrder((order, [id, o]) => order.waitForPayment(id, o)),
  'BaaS.Order#wechatPay.profitSharing': ofOrder((order, a) => order.wechatPay.profitSharing(a)),
  'BaaS.Order#wechatPay.multiProfitSharing': ofOrder((order, a) => order.wechatPay.multiProfitSharing(a)),
  'BaaS.Order#alipay.profitSharing': ofOrder((order, a) => order.alipay.profitSharing(a)),
  ...Object.fromEntries(QUERY_OPS.map(op => [`BaaS.Query#${op}`, query(op)])),
  'BaaS.Query.and': query('and'),
  'BaaS.Query.or': query('or'),
  ...Object.fromEntries(
    [['wechat', 'addReceiver'], ['wechat', 'removeReceiver'], ['alipay', 'addReceiver'], ['alipay', 'removeReceiver'], ['alipay', 'receiverQuery']].map(([ns, m]) => [
      `BaaS.${ns}.profitSharing.${m}`,
      ([a, o], check, name) => check(name, settle(() => BaaS[ns].profitSharing[m](a, o))),
    ]),
  ),
  ...Object.fromEntries(
    [['wechat', wxOrder], ['alipay', aliOrder]].flatMap(([ns, make]) => [
      [`BaaS.${ns}.profitSharing.Order#offset`, (v, check) => thenList('offset', v => () => (ctx.sharing = make()).offset(v), () => ctx.sharing.limit(1).getOrderList())(v, check)],
      [`BaaS.${ns}.profitSharing.Order#limit`, (v, check) => thenList('limit', v => () => (ctx.sharing = make()).limit(v), () => ctx.sharing.getOrderList())(v, check)],
      [`BaaS.${ns}.profitSharing.Order#getOrderList`, ofOrder((order, [p, o]) => order.getOrderList(p, o), make)],
      [`BaaS.${ns}.profitSharing.Order#iterate`, ofOrder((order, [p, o]) => first(order.limit(1).iterate(p, o)), make)],
    ]),
  ),
  ...Object.fromEntries(['finish', 'refund', 'getRefundmentOrder'].map(m => [`BaaS.wechat.profitSharing.Order#${m}`, ofOrder((order, [a, o]) => order[m](a, o), wxOrder)])),
}

async function run([method, described]) {
  await clearRequests()
  const args = method === 'viaRequest' ? described : make(described)
  const order = (ctx.order = new BaaS.Order())
  let problem = null
  const check = async (label, settled) => (problem = problem || (await outcome(label, await settled)))
  switch (method) {
    case 'withOptions': {
      const [what, o] = args
      const calls = {
        get: () => order.get(F.transactionNo, o),
        getOrderList: () => order.limit(1).getOrderList({}, o),
        refund: () => BaaS.refund({ order_id: F.orderId, refund_amount: 0.01 }, o),
        iterate: () => first(order.limit(1).iterate({ status: 'success' }, o)),
        finish: () => new BaaS.wechat.profitSharing.Order().finish({ mch_id: '1501889000', appid: F.appid, trade_no: F.wxShare1, description: 'd' }, o),
      }
      await check(`${what} with callOptions`, await settle(calls[what]))
      break
    }
    case 'viaRequest': {
      const [request, what] = args
      await good({ request, timeout: 200 })
      const r = await settle(() => (what === 'get' ? order.get(F.transactionNo) : BaaS.refund({ order_id: F.orderId, refund_amount: 0.01 })))
      await check(`${what} through ${request}`, r)
      break
    }
    default:
      await RUNNERS[method](args, check, method)
  }
  // A call its signal ended may leave its request on the way (a signal
  // fetch cannot take, a listener fired at once): let it land before the
  // next call's "nothing sent after a 605" check reads the record.
  if (method === 'withOptions' || hasSignal(described)) await new Promise(resolve => setTimeout(resolve, 100))
  ctx.order = ctx.sharing = null
  await good() // back to a working configuration for the next call
  return problem
}

test('fuzz: every public call of the package has a generator here, and each generator a public call', () => {
  const { registry, missing, extra } = compare(BaaS, Object.keys(GENERATORS))
  assert.ok(registry.length >= 56, `the walk found the package's calls: ${registry.join(', ')}`)
  assert.deepEqual(missing, [], 'public calls the fuzz never makes')
  assert.deepEqual(extra, [], 'generators for calls the package does not have')
  assert.deepEqual(Object.keys(RUNNERS).sort(), Object.keys(GENERATORS).sort(), 'each generator has a runner')
})

test('fuzz: every call on hostile input settles as a reply or an HError, nothing sent after a 605, the module keeps working', async () => {
  await reset()
  await good()
  const property = fc.asyncProperty(call, async c => {
    const problem = await run(c)
    if (problem) problems.push(problem)
    return problem === null
  })
  const options = MINUTES
    ? { seed: SEED, numRuns: Number.MAX_SAFE_INTEGER, interruptAfterTimeLimit: MINUTES * 60_000, markInterruptAsFailure: false, endOnFailure: true }
    : { seed: SEED, numRuns: RUNS, endOnFailure: true }
  let failure = null
  try {
    await fc.assert(property, options)
  } catch (e) {
    failure = e
  }
  // Still alive: a plain call works, and the money path too.
  await reset()
  await good()
  const list = await within(new BaaS.Order().limit(1).getOrderList())
  const refund = await within(BaaS.refund({ order_id: F.orderId, refund_amount: 0.01 }))
  await new Promise(r => setTimeout(r, 300)) // late rejections, if any, surface now
  console.log('fuzz counts: ' + JSON.stringify({ seed: SEED, ...counts, unhandledRejections: unhandled.length }))
  if (failure) assert.fail(`${problems[0] || ''}\n${failure.message.slice(0, 2000)}`)
  assert.equal(list.value && list.value.status, 200, `the module still lists orders: ${describe(list.error)}`)
  assert.equal(refund.value && refund.value.status, 200, `the module still refunds: ${describe(refund.error)}`)
  assert.deepEqual(unhandled.map(describe), [], 'no unhandled rejection')
  assert.ok(counts.calls >= (MINUTES ? 1 : RUNS), `${counts.calls} calls checked`)
})

// --- interleavings of the configuration and the calls ------------
const TOKENS = ['tok-1', 'tok-2', 'tok-3', ADMIN_TOKEN]
const step = fc.oneof(
  { weight: 3, arbitrary: fc.record({ op: fc.constant('init'), host: fc.constantFrom(A, B), token: fc.option(fc.constantFrom(...TOKENS), { nil: undefined }), bad: fc.constantFrom(undefined, undefined, undefined, 'wasm', 'shell'), await: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('setToken'), token: fc.constantFrom(...TOKENS), bad: fc.constantFrom(false, false, false, true) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clearToken') }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constantFrom('get', 'refund'), await: fc.constantFrom(false, false, true) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('tick') }) },
)
// A script; `loaded`: run after an awaited init on a copy whose wasm is there, else on a fresh copy.
const script = fc.record({ loaded: fc.boolean(), steps: fc.array(step, { minLength: 1, maxLength: 10 }) })
const ordering = { runs: 0, loading: 0, calls: 0, sent: 0, rejected: 0, tokensSent: 0, hostB: 0 }

test('fuzz: init / setToken / clearToken / calls in any order, awaited or not, two hosts: each call goes where and with the token configured when it was made', async () => {
  await reset()
  let n = 0
  let lastProblem = ''
  const property = fc.asyncProperty(script, async ({ loaded, steps }) => {
    let BaaS
    if (loaded) {
      BaaS = (await importESM()).BaaS
      steps = [{ op: 'init', host: A, token: 'tok-0', await: true }, ...steps]
    } else {
      BaaS = (await freshCopy().importESM()).BaaS
      ordering.loading++
    }
    await clearRequests()
    const result = await runScript(BaaS, steps, `z${++n}`)
    const problems = await checkScript(steps, result)
    ordering.runs++
    ordering.calls += result.calls.length
    for (const r of (await requests()).filter(r => r.path.startsWith('/hserve/'))) {
      ordering.sent++
      if (r.headers.authorization) ordering.tokensSent++
      if (r.headers.host === new URL(B).host) ordering.hostB++
    }
    ordering.rejected += result.calls.filter(c => c.settled.error && c.settled.error.code >= 600).length
    if (problems.length) throw new Error((lastProblem = `${loaded ? 'loaded' : 'loading'}: ${show(steps)}\n${problems.join('\n')}`))
  })
  let failure = null
  try {
    await fc.assert(property, { seed: SEED, numRuns: ORDER_RUNS, endOnFailure: true })
  } catch (e) {
    failure = e
  }
  console.log('fuzz ordering: ' + JSON.stringify({ seed: SEED, ...ordering }))
  if (failure) assert.fail(`${lastProblem}\n${failure.message.slice(0, 2000)}`)
  assert.equal(ordering.runs, ORDER_RUNS)
  // The runs reached both hosts, with and without tokens, and refused some calls: the property was not vacuous.
  assert.ok(ordering.hostB > 0 && ordering.sent > ordering.hostB && ordering.tokensSent > 0 && ordering.rejected > 0, JSON.stringify(ordering))
})

after(() => reset())
