// The web payment calls must send what minapp-sdk sends: both SDKs run in
// one headless Chromium page (minapp-sdk's lib/web.js by a <script> tag,
// baas-order's installed index.js by import()), logged in as the emulator's
// user the way minapp-sdk stores a login, and make every web payment call;
// the emulator's recorded requests are compared: method, path, query and
// body byte for byte. Also BaaS.order({ transactionID }), the top-level
// BaaS.getOrderList(params), the WeixinJSBridge step and the refusals of a
// gateway a call does not take (nothing sent by either).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { createRequire } from 'node:module'
import { ROOT } from './install.mjs'
import { close, openPage } from './minapp-page.mjs'
import { EMULATOR, CLIENT_ID, USER_TOKEN, PATHS, reset, requests, clearRequests } from './emulator.mjs'

const requireTests = createRequire(path.join(ROOT, 'tests', 'package.json'))
const { chromium } = requireTests('playwright-core')
const origin = 'http://paycompat.localhost'
let browser, context, page

before(async () => {
  await reset()
  ;({ browser, context, page } = await openPage(chromium, origin, CLIENT_ID, USER_TOKEN))
  await page.evaluate(async ([clientID, host]) => {
    window.Ours = (await import('/pkg/index.js')).BaaS
    await window.Ours.init(clientID, { host })
  }, [CLIENT_ID, origin])
})

after(async () => {
  if (context) await close(context)
  if (browser) await browser.close()
})

/**
 * Runs `src` (the body of `async (BaaS, arg) => …`) in the page with
 * minapp-sdk's BaaS, then with baas-order's, and returns each side's
 * outcome and API requests.
 */
async function both(src, arg) {
  const run = async which => {
    await clearRequests()
    const outcome = await page.evaluate(
      ([src, which, arg]) =>
        // eslint-disable-next-line no-new-func
        new Function('BaaS', 'arg', 'return (async () => {' + src + '})()')(which === 'theirs' ? window.BaaS : window.Ours, arg).then(
          r => ({ ok: JSON.parse(JSON.stringify(r === undefined ? null : r)) }),
          e => ({ code: e.code, message: e.message }),
        ),
      [src, which, arg],
    )
    const sent = (await requests()).filter(r => r.path.startsWith('/hserve/')).map(({ method, path, query, body, headers }) => ({ method, path, query, body, type: headers['content-type'] }))
    return { outcome, sent }
  }
  return { theirs: await run('theirs'), ours: await run('ours') }
}

const base = { totalCost: 0.1, merchandiseDescription: '深蓝色秋裤' }
const everything = {
  ...base,
  merchandiseSchemaID: 1234,
  merchandiseRecordID: '5c9a9d1f8e',
  merchandiseSnapshot: { 名字: '秋裤', size: 'XL', n: 2, price: 0.1, tags: ['a', 'b"c\\d'], nested: { ok: true, none: null }, emoji: '😀\u2028\n\t' },
}
const CALLS = [
  ['payWithWechat', { ...base, gatewayType: 'weixin_tenpay_native' }],
  ['payWithWechat', { ...everything, gatewayType: 'weixin_tenpay_native', profitSharing: true }],
  ['payWithWechat', { ...everything, gatewayType: 'weixin_tenpay_wap', profitSharing: false }],
  ['payWithWechat', { gatewayType: 'weixin_tenpay_native', merchandiseDescription: 'order of keys', totalCost: 12 }],
  ['payWithWechat', { ...base, gatewayType: 'weixin_tenpay_wap', totalCost: '15' }],
  ['payWithAlipay', { ...base, gatewayType: 'alipay_page' }],
  ['payWithAlipay', { ...everything, gatewayType: 'alipay_wap', totalCost: 398.5 }],
  ['payWithAlipay', { ...base, gatewayType: 'alipay_page', totalCost: '0.01' }],
  ['payWithQQ', { ...base, gatewayType: 'qpay_native' }],
  ['payWithQQ', { ...everything, gatewayType: 'qpay_native', totalCost: 99999.99 }],
]

for (const [call, options] of CALLS) {
  test(`${call}(${options.gatewayType}${options.profitSharing !== undefined ? ', profitSharing' : ''}, totalCost ${JSON.stringify(options.totalCost)}): the same request as minapp-sdk, body byte for byte`, async () => {
    const { theirs, ours } = await both(`const r = await BaaS.payment['${call}'](arg); return { status: r.status, keys: Object.keys(r.data).sort() }`, options)
    assert.equal(theirs.sent.length, 1, JSON.stringify(theirs))
    assert.deepEqual(ours.sent, theirs.sent)
    assert.equal(ours.sent[0].method, 'POST')
    assert.equal(ours.sent[0].path, PATHS.orderList)
    assert.deepEqual(ours.outcome, theirs.outcome)
    assert.equal(ours.outcome.ok.status, 201)
  })
}

test('a Big.js-like totalCost is sent as it serialises by both', async () => {
  const src = `const big = { toJSON: () => '15.50', valueOf: () => 15.5 }
    const r = await BaaS.payment.payWithAlipay({ gatewayType: 'alipay_page', totalCost: big, merchandiseDescription: 'big' })
    return r.status`
  const { theirs, ours } = await both(src)
  assert.deepEqual(ours.sent, theirs.sent)
  assert.match(ours.sent[0].body, /"total_cost":"15.50"/)
  assert.deepEqual(ours.outcome, { ok: 201 })
})

test('weixin_tenpay_js: the same POST, then the same getBrandWCPayRequest through WeixinJSBridge', async () => {
  const src = `const seen = []
    window.WeixinJSBridge = { invoke: (name, p, cb) => { seen.push([name, Object.keys(p).sort()]); cb({ err_msg: 'get_brand_wcpay_request:ok' }) } }
    try {
      const r = await BaaS.payment.payWithWechat(arg)
      return { seen, err_msg: r.err_msg, keys: Object.keys(r).sort() }
    } finally { delete window.WeixinJSBridge }`
  const { theirs, ours } = await both(src, { ...everything, gatewayType: 'weixin_tenpay_js', profitSharing: true })
  assert.deepEqual(ours.sent, theirs.sent)
  assert.deepEqual(ours.outcome, theirs.outcome)
  assert.deepEqual(ours.outcome.ok.keys, ['err_msg', 'trade_no', 'transaction_no'])
  assert.equal(ours.outcome.ok.seen[0][0], 'getBrandWCPayRequest')
})

test('cancel and failure in WeixinJSBridge: 607 and 608 with the same texts as minapp-sdk', async () => {
  for (const m of ['get_brand_wcpay_request:cancel', 'get_brand_wcpay_request:fail']) {
    const src = `window.WeixinJSBridge = { invoke: (n, p, cb) => cb({ err_msg: '${m}' }) }
      try { return await BaaS.payment.payWithWechat(arg) } finally { delete window.WeixinJSBridge }`
    const { theirs, ours } = await both(src, { ...base, gatewayType: 'weixin_tenpay_js' })
    assert.deepEqual(ours.sent, theirs.sent)
    assert.deepEqual(ours.outcome, theirs.outcome)
    assert.equal(ours.outcome.code, m.endsWith('cancel') ? 607 : 608)
  }
})

test('a gateway the call does not take: 608 "incorrect gateway type" from both, nothing sent by either', async () => {
  for (const [call, g] of [['payWithWechat', 'alipay_page'], ['payWithAlipay', 'weixin_tenpay_native'], ['payWithQQ', 'alipay_wap'], ['payWithWechat', 'weixin_tenpay']]) {
    const { theirs, ours } = await both(`return BaaS.payment['${call}'](arg)`, { ...base, gatewayType: g })
    assert.deepEqual(theirs, { outcome: { code: 608, message: '608: incorrect gateway type' }, sent: [] })
    assert.deepEqual(ours, theirs)
  }
})

test('the top-level BaaS.getOrderList(params): the same requests as minapp-sdk\'s', async () => {
  const src = `const list = await BaaS.getOrderList(arg)
    await BaaS.getOrderList({})
    await BaaS.getOrderList()
    return [list.status, list.data.objects.length > 0]`
  const { theirs, ours } = await both(src, { status: 'pending', gateway_type: 'qpay_native', limit: 5, offset: 0, order_by: '-created_at' })
  assert.equal(theirs.sent.length, 3)
  assert.deepEqual(ours.sent, theirs.sent)
  assert.equal(ours.sent[0].query, 'status=pending&gateway_type=qpay_native&limit=5&offset=0&order_by=-created_at')
  assert.deepEqual(ours.outcome, theirs.outcome)
  assert.deepEqual(ours.outcome.ok, [200, true])
})

test('BaaS.order({ transactionID }) (minapp-sdk\'s mini-program form; its web build has none) sends what minapp-sdk\'s Order.get sends', async () => {
  const src = `const made = await BaaS.payment.payWithQQ({ gatewayType: 'qpay_native', totalCost: 1, merchandiseDescription: 'q' })
    const one = await (BaaS.order ? BaaS.order({ transactionID: arg }) : new BaaS.Order().get(arg))
    return [one.status, one.data.transaction_no]`
  const { theirs, ours } = await both(src, 'gzbBpbLQS8o8i8sMe8XV3GNtyaNHBKZQ')
  assert.deepEqual(ours.sent.map(r => [r.method, r.path]), theirs.sent.map(r => [r.method, r.path]))
  assert.deepEqual(ours.outcome, theirs.outcome)
  assert.equal(ours.outcome.code, 404)
})
