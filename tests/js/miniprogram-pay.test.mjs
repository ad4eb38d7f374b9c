// BaaS.pay in the simulated mini-program runtimes (miniprogram-sim.mjs),
// against the emulator, with stand-ins for wx.requestPayment and
// my.tradePay that behave as their documentation says:
// - wx.requestPayment({ timeStamp, nonceStr, package, signType, paySign,
//   success, fail, complete }): every parameter a string, signType one of
//   MD5 / HMAC-SHA256 / RSA; success({ errMsg: 'requestPayment:ok' }) when
//   paid (WeChat then notifies the server: here the emulator's notify
//   control), fail({ errMsg: 'requestPayment:fail cancel' }) when the buyer
//   closes the sheet, fail({ errMsg: 'requestPayment:fail <reason>' }) else;
//   complete after either.
// - my.tradePay({ tradeNO, success, fail }): success({ resultCode }) for
//   every outcome: '9000' paid, '8000' processing, '6001' cancelled, '6002'
//   network, '4000' failed.
// Success, cancel and failure for both; the POST body minapp-sdk's builds
// would send for the same call (its WeChat build, lib/index.js, runs in its
// own simulated context; its Alipay build is not in the npm package, so its
// body is written out from its published key map, CONTRACT.md).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import vm from 'node:vm'
import { createRequire } from 'node:module'
import { ROOT } from './install.mjs'
import { EMULATOR, CLIENT_ID, USER_TOKEN, PATHS, reset, requests, clearRequests } from './emulator.mjs'
import { codePackage, runtime, inner, settle, openPage } from './miniprogram-sim.mjs'

const requireTests = createRequire(path.join(ROOT, 'tests', 'package.json'))
const CONTROL_TOKEN = process.env.BAAS_EMULATOR_CONTROL_TOKEN
const notify = async (trade_no, outcome = 'success') => {
  const res = await fetch(EMULATOR + '/__emulator/pay', {
    method: 'POST',
    headers: { 'x-emulator-token': CONTROL_TOKEN, 'content-type': 'application/json' },
    body: JSON.stringify({ trade_no, outcome }),
  })
  assert.equal(res.status, 200)
}
const creates = async () => (await requests()).filter(r => r.method === 'POST' && r.path === PATHS.orderList)

/** wx.requestPayment as documented; `outcome` 'ok' | 'cancel' | a failure reason. */
function requestPayment(log, outcome) {
  return o => {
    log.push({ ...o })
    const bad = ['timeStamp', 'nonceStr', 'package', 'signType', 'paySign'].find(k => typeof o[k] !== 'string' || !o[k])
    const signOk = ['MD5', 'HMAC-SHA256', 'RSA'].includes(o.signType)
    setTimeout(async () => {
      let r
      if (bad || !signOk) r = { errMsg: `requestPayment:fail parameter error: ${bad || 'signType'}` }
      else if (outcome === 'ok') {
        // WeChat knows the order by its prepay id; the emulator's names the trade_no.
        await notify(o.package.replace(/^prepay_id=wx/, ''))
        r = { errMsg: 'requestPayment:ok' }
      } else r = { errMsg: outcome === 'cancel' ? 'requestPayment:fail cancel' : `requestPayment:fail ${outcome}` }
      r.errMsg === 'requestPayment:ok' ? o.success(r) : o.fail(r)
      o.complete && o.complete(r)
    }, 5)
  }
}

/** my.tradePay as documented: success({ resultCode }) for every outcome. */
function tradePay(log, resultCode) {
  return o => {
    log.push({ ...o })
    setTimeout(async () => {
      if (typeof o.tradeNO !== 'string' || !o.tradeNO) return o.fail({ error: 2, errorMessage: 'tradeNO is required' })
      if (resultCode === '9000') await notify(o.tradeNO)
      o.success({ resultCode })
    }, 5)
  }
}

/**
 * The body minapp-sdk's WeChat build (lib/index.js, its `BaaS.pay`) sends for
 * `params`: the build runs in a context of its own with a wx that answers
 * like the emulator; wx.request sends an object `data` as JSON.
 */
async function minappWechatBody(params) {
  const sent = []
  const sdk = loadMinappWechat({ ifx_baas_auth_token: USER_TOKEN }, data => sent.push(data))
  sdk.init(CLIENT_ID, { host: EMULATOR })
  await sdk.pay(params)
  assert.equal(sent.length, 1)
  return sent[0]
}

/**
 * minapp-sdk's WeChat build in a context of its own (as a plugin runs: its
 * own storage), with a wx whose request answers like the emulator's create
 * and hands each body (an object `data` as JSON, as wx.request sends it) to `onRequest`.
 */
function loadMinappWechat(storage, onRequest) {
  const src = fs.readFileSync(requireTests.resolve('minapp-sdk/lib/index.js'), 'utf8')
  const wx = {
    getStorageSync: k => storage[k] ?? '',
    setStorageSync: (k, v) => (storage[k] = v),
    getStorage: ({ key, success, fail }) => (key in storage ? success({ data: storage[key] }) : fail({ errMsg: 'getStorage:fail' })),
    setStorage: ({ key, data, success }) => ((storage[key] = data), success && success({})),
    getSystemInfoSync: () => ({ platform: 'android', SDKVersion: '3.3.4' }),
    getNetworkType: o => o.success({ networkType: 'wifi' }),
    request(o) {
      onRequest(typeof o.data === 'string' ? o.data : JSON.stringify(o.data))
      setTimeout(() => o.success({ statusCode: 201, header: {}, data: { transaction_no: 'T', trade_no: 'N', timeStamp: '1', nonceStr: 'n', package: 'p', signType: 'MD5', paySign: 's' } }), 0)
      return { abort() {} }
    },
    requestPayment: o => o.success({ errMsg: 'requestPayment:ok' }),
  }
  // WeChat's runtime provides regenerator's global; the build's upload code references it at load.
  const sandbox = { wx, console, setTimeout, clearTimeout, regeneratorRuntime: { mark: f => f, wrap: () => ({}) } }
  sandbox.window = sandbox
  const module = { exports: {} }
  vm.runInContext(`(function (module, exports) {${src}\n})`, vm.createContext(sandbox))(module, module.exports)
  return module.exports
}

/** minapp-sdk's Alipay build's body (its key map, no profitSharing: that key becomes "undefined"), then gateway_type. */
function minappAlipayBody(params) {
  const keys = { merchandiseSchemaID: 'merchandise_schema_id', merchandiseRecordID: 'merchandise_record_id', merchandiseSnapshot: 'merchandise_snapshot', merchandiseDescription: 'merchandise_description', totalCost: 'total_cost' }
  const body = {}
  for (const k in params) body[keys[k]] = params[k]
  body.gateway_type = 'alipay'
  return JSON.stringify(body)
}

async function wechat() {
  await reset()
  const rt = runtime({ platform: 'wechat', token: USER_TOKEN, dir: codePackage('wechat') })
  const { BaaS } = rt.require('baas-order')
  await BaaS.init(CLIENT_ID, inner(rt, { host: EMULATOR }))
  return { rt, BaaS }
}

test('WeChat BaaS.pay: created, onCreated, wx.requestPayment with the server\'s parameters, paid; the body minapp-sdk\'s WeChat build sends', async () => {
  const { rt, BaaS } = await wechat()
  const log = []
  rt.context.wx.requestPayment = requestPayment(log, 'ok')
  const params = { merchandiseDescription: '深蓝色秋裤', profitSharing: true, totalCost: 0.1, merchandiseSnapshot: { 颜色: '蓝' } }
  const created = []
  const res = await BaaS.pay(inner(rt, params), o => {
    created.push(o)
    assert.equal(log.length, 0, 'onCreated runs before the payment sheet')
  })
  assert.equal(res.errMsg, 'requestPayment:ok')
  assert.deepEqual(JSON.parse(JSON.stringify(created)), [{ transaction_no: res.transaction_no, trade_no: res.trade_no }])
  const [sent] = await creates()
  assert.equal(sent.headers['x-hydrogen-client-platform'], 'WECHAT')
  assert.equal(sent.body, '{"merchandise_description":"深蓝色秋裤","profit_sharing":true,"total_cost":0.1,"merchandise_snapshot":{"颜色":"蓝"},"gateway_type":"weixin_tenpay"}')
  assert.equal(sent.body, await minappWechatBody(params), 'the same body as minapp-sdk\'s WeChat build')
  // wx.requestPayment got the server's parameters (signType the server's).
  assert.deepEqual(Object.keys(log[0]).filter(k => typeof log[0][k] !== 'function').sort(), ['nonceStr', 'package', 'paySign', 'signType', 'timeStamp'])
  assert.equal(log[0].signType, 'MD5')
  // The server's word: the order is paid (WeChat's notify), and waitForPayment in the mini-program sees it.
  const paid = await new BaaS.Order().waitForPayment(res.transaction_no, inner(rt, { interval: 500, timeout: 5000 }))
  assert.equal(paid.data.status, 'success')
  assert.equal(paid.data.gateway_extra_info.wechat_response.trade_type, 'JSAPI')
  // minapp-sdk's result shape in mini-programs: `header` too.
  assert.equal(paid.header, paid.headers)
  assert.equal(typeof paid.header, 'object')
})

test('WeChat BaaS.pay: the buyer cancels (607) or the payment fails (608 with WeChat\'s errMsg); the order is in e.data', async () => {
  const { rt, BaaS } = await wechat()
  for (const [outcome, code, message] of [['cancel', 607, '607: payment cancelled'], ['insufficient balance', 608, '608: requestPayment:fail insufficient balance']]) {
    const log = []
    rt.context.wx.requestPayment = requestPayment(log, outcome)
    const e = (await settle(BaaS.pay(inner(rt, { totalCost: '2', merchandiseDescription: 'd' })))).error
    assert.ok(e instanceof BaaS.HError)
    assert.deepEqual([e.code, e.message], [code, message])
    assert.match(e.data.trade_no, /^\w{32}$/)
    const order = (await new BaaS.Order().get(e.data.transaction_no)).data
    assert.equal(order.status, 'pending', 'no payment, no notify')
    assert.equal(order.total_cost, '2.00')
  }
  // Refused before anything is sent.
  await clearRequests()
  for (const [p, field] of [[{ totalCost: 0, merchandiseDescription: 'd' }, 'totalCost'], [{ totalCost: 1, merchandiseDescription: 'd', gatewayType: 'weixin_tenpay' }, 'gatewayType'], [{ totalCost: 1 }, 'merchandiseDescription']]) {
    const e = (await settle(BaaS.pay(inner(rt, p)))).error
    assert.deepEqual([e.code, e.field], [605, field])
  }
  assert.deepEqual(await creates(), [])
})

async function alipay() {
  await reset()
  const rt = runtime({ platform: 'alipay', token: USER_TOKEN, dir: codePackage('alipay') })
  const { BaaS } = rt.require('baas-order/miniprogram/index.js')
  await BaaS.init(CLIENT_ID, inner(rt, { host: EMULATOR }))
  return { rt, BaaS }
}

test('Alipay BaaS.pay: created, my.tradePay with trade_no, 9000 and 8000 resolve; the body minapp-sdk\'s Alipay build sends', async () => {
  const { rt, BaaS } = await alipay()
  for (const resultCode of ['9000', '8000']) {
    await clearRequests()
    const log = []
    rt.context.my.tradePay = tradePay(log, resultCode)
    const params = { totalCost: 88, merchandiseDescription: '鲜花', merchandiseRecordID: 'r1' }
    const res = await BaaS.pay(inner(rt, params))
    assert.equal(res.resultCode, resultCode)
    assert.equal(log[0].tradeNO, res.trade_no)
    const [sent] = await creates()
    assert.equal(sent.headers['x-hydrogen-client-platform'], 'ALIPAY')
    assert.equal(sent.body, '{"total_cost":88,"merchandise_description":"鲜花","merchandise_record_id":"r1","gateway_type":"alipay"}')
    assert.equal(sent.body, minappAlipayBody(params))
    const order = (await new BaaS.Order().get(res.transaction_no)).data
    assert.equal(order.status, resultCode === '9000' ? 'success' : 'pending')
    assert.equal(order.gateway_type, 'alipay')
  }
})

test('Alipay BaaS.pay: 6001 is 607, other codes 608, each with e.resultCode and minapp-sdk\'s text; profitSharing refused', async () => {
  const { rt, BaaS } = await alipay()
  // 6002 (network error) and 6004 (result unknown): the buyer may have paid, so e.outcomeUnknown;
  // a program must read the order (waitForPayment), never start a second payment.
  for (const [resultCode, code, text, unknown] of [
    ['6001', 607, '用户中途取消'],
    ['4000', 608, '订单支付失败'],
    ['6002', 608, '网络连接出错', true],
    ['6004', 608, '支付结果未知（有可能已经支付成功），请查询商户订单列表中订单的支付状态', true],
    ['99', 608, '用户点击忘记密码导致快捷界面退出'],
  ]) {
    rt.context.my.tradePay = tradePay([], resultCode)
    const e = (await settle(BaaS.pay(inner(rt, { totalCost: 1, merchandiseDescription: 'd' })))).error
    assert.ok(e instanceof BaaS.HError)
    assert.deepEqual([e.code, e.message, e.resultCode, e.outcomeUnknown], [code, `${code}: ${text}`, resultCode, unknown])
    assert.match(e.data.transaction_no, /^\w{32}$/)
  }
  // minapp-sdk's Alipay build would send profitSharing as the key "undefined"; here it is a 605, nothing sent.
  assert.equal(minappAlipayBody({ totalCost: 1, merchandiseDescription: 'd', profitSharing: true }), '{"total_cost":1,"merchandise_description":"d","undefined":true,"gateway_type":"alipay"}')
  await clearRequests()
  const e = (await settle(BaaS.pay(inner(rt, { totalCost: 1, merchandiseDescription: 'd', profitSharing: true })))).error
  assert.deepEqual([e.code, e.field], [605, 'profitSharing'])
  assert.deepEqual(await creates(), [])
})

test('minapp-sdk as a WeChat plugin: its storage is not the app\'s, so the app hands the plugin\'s token over with BaaS.setToken(await sdk.getAuthToken())', async () => {
  await reset()
  // The app's own storage holds no token: the plugin logged in, in its storage.
  const rt = runtime({ platform: 'wechat', dir: codePackage('wechat') })
  const { BaaS } = rt.require('baas-order')
  await BaaS.init(CLIENT_ID, inner(rt, { host: EMULATOR }))
  const before = (await settle(new BaaS.Order().limit(1).getOrderList())).error
  assert.equal(before.code, 401, 'no token found: the stored-token fallback reads the app\'s storage only')
  const plugin = loadMinappWechat({ ifx_baas_auth_token: USER_TOKEN }, () => {})
  plugin.init(CLIENT_ID, { host: EMULATOR })
  BaaS.setToken(await plugin.getAuthToken())
  await clearRequests()
  const res = await new BaaS.Order().limit(1).getOrderList()
  assert.equal(res.status, 200)
  const [sent] = (await requests()).filter(r => r.path === PATHS.orderList)
  assert.equal(sent.headers.authorization, `Hydrogen-r1 ${USER_TOKEN}`)
  // A logout in the plugin: the app clears it too.
  BaaS.clearToken()
  assert.equal((await settle(new BaaS.Order().limit(1).getOrderList())).error.code, 401)
})

test('the example mini-programs\' pay button runs BaaS.pay and shows the order paid, or the cancel', async () => {
  for (const platform of ['wechat', 'alipay']) {
    await reset()
    const dir = codePackage(platform, `miniprogram-${platform}`, { clientID: CLIENT_ID, host: EMULATOR })
    const rt = runtime({ platform, token: USER_TOKEN, dir })
    rt.require('./app.js')
    const page = openPage(rt, './pages/orders/orders.js')
    await page.onLoad({})
    const log = []
    if (platform === 'wechat') rt.context.wx.requestPayment = requestPayment(log, 'ok')
    else rt.context.my.tradePay = tradePay(log, '9000')
    await page.onPay()
    const last = page.setDataCalls.at(-1)
    assert.equal(last.error, '', JSON.stringify(last))
    assert.equal(last.paid.status, 'success', platform)
    assert.match(last.paid.trade_no, /^\w{32}$/)
    assert.equal(log.length, 1)
    // Cancelled: the page shows minapp-sdk's 607.
    if (platform === 'wechat') rt.context.wx.requestPayment = requestPayment([], 'cancel')
    else rt.context.my.tradePay = tradePay([], '6001')
    await page.onPay()
    assert.equal(page.setDataCalls.at(-1).code, 607, platform)
  }
})
