// The console's "new payment" panel in headless Chromium against the
// emulator: a person creates a WeChat native payment with profit sharing,
// sees its QR code, pays it on the emulator's checkout page in a second tab,
// sees it paid, then shares, returns and refunds it from the order detail.
// Each step checks what the page shows and what the server holds.
// Needs what tests/page/console.test.mjs needs (cargo xtask test sets it).
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequire } from 'node:module'
import { chromium } from 'playwright-core'
import { ROOT, CHROMIUM, EMULATOR, CONTROL_TOKEN, STATIC, CLIENT_ID, ADMIN_TOKEN, PATHS, tid } from './env.mjs'

const qrcode = createRequire(path.join(ROOT, 'tests', 'package.json'))('qrcode-generator')

let browser, context, page
const problems = []

async function api(pathAndQuery) {
  const res = await fetch(EMULATOR + pathAndQuery, { headers: { 'X-Hydrogen-Client-ID': CLIENT_ID, Authorization: `Hydrogen-r1 ${ADMIN_TOKEN}` } })
  assert.equal(res.status, 200, `${pathAndQuery}: ${res.status}`)
  return res.json()
}
const serverOrder = txn => api(PATHS.order.replace(':transactionID', txn))

async function until(what, fn, arg, timeout = 15000) {
  try {
    return await page.waitForFunction(fn, arg, { timeout, polling: 50 })
  } catch {
    const state = await page.evaluate(() => ({
      pay: document.querySelector('[data-testid="pay-status"]')?.textContent,
      payError: document.querySelector('[data-testid="pay-error"]')?.textContent.trim(),
      detail: document.querySelector('[data-testid="detail"]')?.dataset.state,
    }))
    throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state)}; problems: ${JSON.stringify(problems)}`)
  }
}

async function actionResult(box) {
  await until(`the result of ${box}`, box => {
    const b = document.querySelector(`[data-testid="${box}"]`)
    const d = document.querySelector('[data-testid="detail"]')
    return !b.hidden && ['success', 'error'].includes(b.dataset.kind) && d.dataset.action !== 'running' && d.dataset.state !== 'loading'
  }, box)
  return page.$eval(tid(box), b => ({ kind: b.dataset.kind, text: b.textContent.replace(/\s+/g, ' ').trim() }))
}

describe('console: take a payment, then share, return and refund it', { timeout: 120000 }, () => {
  before(async () => {
    assert.ok(EMULATOR && STATIC && CONTROL_TOKEN, 'cargo xtask test sets BAAS_EMULATOR_URL, BAAS_STATIC_URL and the control token')
    const reset = await fetch(`${EMULATOR}/__emulator/reset`, { method: 'POST', headers: { 'X-Emulator-Token': CONTROL_TOKEN } })
    assert.equal(reset.status, 200)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    page = await context.newPage()
    page.setDefaultTimeout(15000)
    page.on('pageerror', e => problems.push(`uncaught: ${e && e.stack ? e.stack : e}`))
    page.on('console', m => m.type() === 'error' && !/status of [45]\d\d/.test(m.text()) && problems.push(m.text()))
    await page.goto(STATIC + '/')
    await until('the SDK to connect', () => document.querySelector('[data-testid="connection"]').dataset.state === 'ok')
  })

  after(async () => {
    await browser?.close()
  })

  it('walks create → QR → pay in a second tab → paid → share → return → refund', async () => {
    // 1. A WeChat native payment with profit sharing.
    await page.selectOption(tid('pay-gateway'), 'weixin_tenpay_native')
    await page.check(tid('pay-profit-sharing'))
    await page.fill(tid('pay-amount'), '12.34')
    await page.fill(tid('pay-description'), '手冲咖啡')
    await page.click(tid('pay-submit'))
    await until('the order to be created', () => document.querySelector('[data-testid="pay-status"]').dataset.state === 'waiting')
    const txn = (await page.textContent(tid('pay-transaction-no'))).trim()
    const tradeNo = (await page.textContent(tid('pay-trade-no'))).trim()
    let order = await serverOrder(txn)
    assert.deepEqual(
      [order.status, order.gateway_type, order.total_cost, order.profit_sharing, order.merchandise_description, order.trade_no],
      ['pending', 'weixin_tenpay_native', '12.34', true, '手冲咖啡', tradeNo],
    )
    // The alipay/QQ gateways cannot share: the switch follows the gateway.
    await page.selectOption(tid('pay-gateway'), 'alipay_page')
    assert.equal(await page.isDisabled(tid('pay-profit-sharing')), true)
    await page.selectOption(tid('pay-gateway'), 'weixin_tenpay_native')

    // 2. The QR code is code_url's, as the library draws it (the same matrix for the same text).
    const link = await page.getAttribute(tid('pay-link'), 'href')
    assert.equal(link, `${EMULATOR}/__checkout/${txn}`)
    const want = qrcode(0, 'M')
    want.addData(link)
    want.make()
    const svg = await page.$eval(tid('pay-qr-svg'), s => ({ modules: s.dataset.modules, d: s.querySelector('path')?.getAttribute('d'), visible: s.getBoundingClientRect().width > 100 }))
    assert.equal(svg.modules, String(want.getModuleCount()))
    const wantPath = /<path d="([^"]+)"/.exec(want.createSvgTag({ cellSize: 4, margin: 4, scalable: true }))[1]
    assert.equal(svg.d, wantPath, 'the page draws the QR code of code_url')
    assert.equal(svg.visible, true)

    // 3. Paid on the checkout page, in a second tab (a person who scanned it).
    const buyer = await context.newPage()
    await buyer.goto(link)
    assert.equal((await buyer.textContent('#amount')).trim(), '¥12.34')
    assert.equal((await buyer.textContent('#description')).trim(), '手冲咖啡')
    assert.equal((await buyer.textContent('#status')).trim(), 'pending')
    await buyer.click('#pay')
    await buyer.waitForSelector('#status:text("success")')
    await buyer.close()

    // 4. The panel sees it paid (waitForPayment); so does the server.
    await until('the panel to show the order paid', () => document.querySelector('[data-testid="pay-status"]').dataset.state === 'paid', undefined, 20000)
    assert.equal((await page.textContent(tid('pay-status'))).trim(), '已支付 ¥12.34')
    order = await serverOrder(txn)
    assert.equal(order.status, 'success')
    const w = order.gateway_extra_info.wechat_response
    assert.deepEqual([w.trade_type, w.total_fee, w.cash_fee, w.out_trade_no], ['NATIVE', '1234', '1234', tradeNo])

    // 5. The detail: share 100 fen, the refund is refused until the return, then it goes through.
    await page.click(tid('pay-open'))
    await until('the detail of the paid order', n => {
      const d = document.querySelector('[data-testid="detail"]')
      return d.dataset.state === 'ready' && document.querySelector('[data-testid="detail-id"]')?.textContent === String(n)
    }, order.id)
    await page.fill(tid('wx-amount'), '100')
    await page.click(tid('wx-submit'))
    let r = await actionResult('wx-result')
    assert.equal(r.kind, 'success', r.text)
    const shared = await api(`${PATHS.wechatSharingOrders}?payment_order_id=${order.id}`)
    assert.equal(shared.meta.total_count, 1)
    assert.equal(shared.objects[0].status, 'finished')

    await page.click(tid('refund-submit'))
    r = await actionResult('refund-result')
    assert.equal(r.kind, 'error', `a refund before the return: ${r.text}`)
    assert.equal((await serverOrder(txn)).refund_status, null)

    await until('the sharing history', () => document.querySelectorAll('[data-testid="history-row"]').length === 1)
    await page.click(tid('history-return'))
    await page.click(tid('return-submit'))
    r = await actionResult('return-result')
    assert.equal(r.kind, 'success', r.text)
    assert.match(r.text, /回退 100 分/)

    await page.click(tid('refund-submit'))
    r = await actionResult('refund-result')
    assert.equal(r.kind, 'success', r.text)
    order = await serverOrder(txn)
    assert.deepEqual([order.refund_status, order.refund_amount], ['complete', '12.34'])
    assert.deepEqual(problems, [])
  })
})
