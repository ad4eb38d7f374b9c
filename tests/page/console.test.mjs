// The operator console (www/) in headless Chromium against the emulator:
// every step asserts what the page shows (cells, counts, messages).
//
// Needs BAAS_EMULATOR_URL, BAAS_EMULATOR_CONTROL_TOKEN, BAAS_CLIENT_ID,
// BAAS_ADMIN_TOKEN (cargo xtask test sets them; the emulator runs with
// --orders 200 --seed 42) and BAAS_STATIC_URL: xtask's static server
// (xtask/src/serve.rs: www/ at /, the built package at /pkg/).
// UPDATE_SCREENSHOT=1 also rewrites www/screenshot.png.
import { describe, it, before, after, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { ROOT, CHROMIUM, EMULATOR, CONTROL_TOKEN, STATIC, CLIENT_ID, ADMIN_TOKEN, PATHS, tid } from './env.mjs'

const WWW = path.join(ROOT, 'www')
const PKG = process.env.BAAS_PACKAGE_DIR || path.join(ROOT, 'target', 'npm', 'baas-order')
const SHOTS = path.join(ROOT, 'target', 'page-screenshots')


const F = {
  orderId: 29973, // WeChat 398.00, paid
  orderTradeNo: '1gAtZq3Xy7VbN2mKp9LcRt4WsD6fHj8E',
  sharedNo: '1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA', // trade_no of WeChat 120.00 and transaction_no of Alipay 88.00
  wxShare: 'wxshare0000000000000000000000001', // WeChat 100.00, profit_sharing
  aliShare: 'alishare000000000000000000000001', // Alipay 100.00
  openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  wxShare2: 'wxshare0000000000000000000000002', // WeChat 100.00, profit_sharing
  merchant: '1900000109',
}

// ---- the emulator, asked directly for the expected numbers --------------

// The API paths, from the SDK core's one table (cargo xtask test passes it).

async function emulatorCount(params = {}) {
  const qs = new URLSearchParams({ limit: '1', ...Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)])) })
  const res = await fetch(`${EMULATOR}${PATHS.orderList}?${qs}`, {
    headers: { 'X-Hydrogen-Client-ID': CLIENT_ID, Authorization: `Hydrogen-r1 ${ADMIN_TOKEN}` },
  })
  assert.equal(res.status, 200, `emulator list ${qs}: HTTP ${res.status} ${await res.clone().text()}`)
  return (await res.json()).meta.total_count
}

async function control(method, what, body) {
  const res = await fetch(`${EMULATOR}/__emulator/${what}`, {
    method,
    headers: { 'X-Emulator-Token': CONTROL_TOKEN, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  assert.ok(res.ok, `emulator ${method} /__emulator/${what}: HTTP ${res.status} ${await res.text()}`)
}

/** Unix seconds of a Beijing calendar day's start or end (as the page computes them). */
const beijingDay = (day, end) => Math.floor(Date.parse(`${day}T${end ? '23:59:59' : '00:00:00'}+08:00`) / 1000)

// ---- the browser ----------------------------------------------------------

let browser
let page
const problems = [] // console errors and uncaught exceptions of the page


/** Waits for `fn` (run in the page) to be truthy; fails naming `what` and the page's state. */
async function until(what, fn, arg, timeout = 15000) {
  try {
    return await page.waitForFunction(fn, arg, { timeout, polling: 50 })
  } catch (e) {
    const snapshot = await page.evaluate(() => ({
      list: document.querySelector('[data-testid="list-panel"]')?.dataset.state,
      label: document.querySelector('[data-testid="page-label"]')?.textContent,
      listError: document.querySelector('[data-testid="list-error"]')?.textContent.trim(),
      initError: document.querySelector('[data-testid="init-error"]')?.textContent.trim(),
      detail: document.querySelector('[data-testid="detail"]')?.dataset.state,
      detailError: document.querySelector('[data-testid="detail-error"]')?.textContent.trim(),
    })).catch(() => ({}))
    throw new Error(`timed out waiting for ${what}; page state: ${JSON.stringify(snapshot)}; problems: ${JSON.stringify(problems)}`)
  }
}

/** The list finished loading (after whatever action started it). */
async function listSettled() {
  await until('the order list to finish loading', () => {
    const p = document.querySelector('[data-testid="list-panel"]')
    return p.getAttribute('aria-busy') === 'false' && ['ready', 'empty', 'error'].includes(p.dataset.state)
  })
  const state = await page.getAttribute(tid('list-panel'), 'data-state')
  if (state === 'error') {
    const shown = [await text('init-error'), await text('list-error')].filter(Boolean).join(' / ')
    throw new Error(`the order list shows an error: ${shown || '(no message)'}`)
  }
  return state
}

/** Rows as shown: one object per row, cell test ids to cell text. */
const rows = () =>
  page.$$eval('[data-testid="order-row"]', trs =>
    trs.map(tr => Object.fromEntries([...tr.querySelectorAll('td')].map(td => [td.dataset.testid, td.textContent.trim()]))))

const text = async id => ((await page.textContent(tid(id))) || '').trim()

/** The "第 x 页 / 共 N 条" label as numbers. */
async function pageLabel() {
  const label = await text('page-label')
  const m = /^第 (\d+) 页 \/ 共 (\d+) 条$/.exec(label)
  assert.ok(m, `page label should read "第 x 页 / 共 N 条", shows "${label}"`)
  return { page: Number(m[1]), total: Number(m[2]), label }
}

async function search(field, value) {
  await page.selectOption(tid('search-field'), field)
  await page.fill(tid('search-input'), value)
  await page.click(tid('search-button'))
  return listSettled()
}

async function resetFilters() {
  await page.click(tid('reset-button'))
  await listSettled()
}

/** Clicks the row of order `id` in the list and waits for its detail. */
async function openRow(id) {
  await page.click(`[data-testid="order-row"][data-id="${id}"]`)
  await until(`the detail of order ${id}`, id => {
    const d = document.querySelector('[data-testid="detail"]')
    return d.dataset.state === 'ready' && document.querySelector('[data-testid="detail-id"]')?.textContent === String(id)
  }, id)
}

/** Waits for an action's result box to settle (success or error) and the refreshed detail and list. */
async function actionResult(box) {
  await until(`the result of ${box}`, box => {
    const b = document.querySelector(`[data-testid="${box}"]`)
    const d = document.querySelector('[data-testid="detail"]')
    const l = document.querySelector('[data-testid="list-panel"]')
    return !b.hidden && ['success', 'error'].includes(b.dataset.kind) && d.dataset.action !== 'running' &&
      d.dataset.state !== 'loading' && l.getAttribute('aria-busy') === 'false'
  }, box)
  return page.$eval(tid(box), b => ({ kind: b.dataset.kind, code: b.dataset.code || '', text: b.textContent.replace(/\s+/g, ' ').trim() }))
}

async function shot(name) {
  fs.mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, name) })
}

function assertNoProblems(when) {
  if (problems.length) {
    const list = problems.splice(0).map(p => `  - ${p}`).join('\n')
    assert.fail(`the page reported errors ${when}:\n${list}`)
  }
}

describe('operator console (www/) in headless Chromium', { timeout: 180000 }, () => {
  before(async () => {
    assert.ok(EMULATOR, 'BAAS_EMULATOR_URL must point at a running baas-emulator (cargo xtask test sets it)')
    assert.ok(STATIC, 'BAAS_STATIC_URL must point at xtask\'s static server (cargo xtask test sets it)')
    assert.ok(fs.existsSync(path.join(PKG, 'index.js')), `no built package at ${PKG}: run cargo xtask pack first`)
    assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (cargo xtask setup installs it)`)
    await control('POST', 'reset')
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'],
    })
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' })
    page = await context.newPage()
    page.setDefaultTimeout(15000)
    page.on('pageerror', e => problems.push(`uncaught exception: ${e && e.stack ? e.stack : e}`))
    page.on('console', msg => {
      if (msg.type() !== 'error') return
      const url = msg.location()?.url || ''
      // Chromium logs every non-2xx API reply; the steps that cause one assert the page's own message.
      if (/^Failed to load resource: the server responded with a status of [45]\d\d/.test(msg.text()) && url.startsWith(EMULATOR)) return
      problems.push(`console.error: ${msg.text()}${url ? ` (${url})` : ''}`)
    })
    await page.goto(STATIC + '/')
  })

  after(async () => {
    await browser?.close()
  })

  // Every step starts from the initial data and a freshly loaded page, and
  // makes the state it needs itself: each can fail or run on its own.
  beforeEach(async () => {
    await control('POST', 'reset')
    await page.goto(STATIC + '/')
    await listSettled()
  })

  afterEach(() => assertNoProblems('during this step'))

  it('loads the list with the total count from the server', async () => {
    await listSettled()
    const expected = await emulatorCount()
    assert.ok(expected >= 209, `the emulator should hold 200 demo + 9 fixture orders, has ${expected}`)
    assert.deepEqual(await pageLabel(), { page: 1, total: expected, label: `第 1 页 / 共 ${expected} 条` })
    const shown = await rows()
    assert.equal(shown.length, 20, 'the default page size is 20 rows')
    for (const r of shown) {
      assert.match(r['cell-id'], /^\d+$/, `id cell: ${JSON.stringify(r)}`)
      assert.match(r['cell-total'], /^\d+\.\d{2}$/, `total_cost cell: ${JSON.stringify(r)}`)
      assert.ok(['微信支付', '支付宝'].includes(r['cell-gateway']), `gateway cell: ${JSON.stringify(r)}`)
      assert.ok(['已支付', '待支付'].includes(r['cell-status']), `status cell: ${JSON.stringify(r)}`)
      if (r['cell-status'] === '已支付') assert.match(r['cell-paid-at'], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    }
    assert.match(await text('connection-text'), /已连接/)
    await shot('list.png')
    if (process.env.UPDATE_SCREENSHOT === '1') {
      const file = path.join(WWW, 'screenshot.png')
      await page.screenshot({ path: file, type: 'png' })
      const size = fs.statSync(file).size
      assert.ok(size < 200 * 1024, `www/screenshot.png is ${size} bytes, should be under 200 KB`)
    }
  })

  it('filters by gateway and by status', async () => {
    await page.selectOption(tid('filter-gateway'), 'weixin_tenpay')
    await listSettled()
    const wechat = await emulatorCount({ gateway_type: 'weixin_tenpay' })
    assert.equal((await pageLabel()).total, wechat)
    let shown = await rows()
    assert.ok(shown.length > 0)
    for (const r of shown) assert.equal(r['cell-gateway'], '微信支付', `row ${r['cell-id']} under the WeChat filter`)

    await page.selectOption(tid('filter-status'), 'pending')
    await listSettled()
    const pending = await emulatorCount({ gateway_type: 'weixin_tenpay', status: 'pending' })
    assert.ok(pending > 0 && pending < wechat)
    assert.equal((await pageLabel()).total, pending)
    shown = await rows()
    assert.equal(shown.length, Math.min(20, pending))
    for (const r of shown) {
      assert.equal(r['cell-gateway'], '微信支付')
      assert.equal(r['cell-status'], '待支付', `row ${r['cell-id']} under the pending filter`)
      assert.equal(r['cell-paid-at'], '—', 'a pending order has no paid-at time')
    }

    await page.selectOption(tid('filter-gateway'), 'alipay')
    await page.selectOption(tid('filter-status'), 'success')
    await listSettled()
    assert.equal((await pageLabel()).total, await emulatorCount({ gateway_type: 'alipay', status: 'success' }))
    for (const r of await rows()) assert.deepEqual([r['cell-gateway'], r['cell-status']], ['支付宝', '已支付'])
    await resetFilters()
  })

  it('finds an order by exact trade_no, and by transaction_no', async () => {
    await search('trade_no', F.sharedNo)
    let shown = await rows()
    assert.equal(shown.length, 1, `searching trade_no ${F.sharedNo} shows ${shown.length} rows`)
    assert.equal(shown[0]['cell-trade-no'], F.sharedNo)
    assert.equal(shown[0]['cell-gateway'], '微信支付')
    assert.equal(shown[0]['cell-total'], '120.00')
    assert.equal((await pageLabel()).label, '第 1 页 / 共 1 条')

    // The same string is an Alipay order's transaction_no: the field selector decides.
    await search('transaction_no', F.sharedNo)
    shown = await rows()
    assert.equal(shown.length, 1)
    assert.equal(shown[0]['cell-transaction-no'], F.sharedNo)
    assert.equal(shown[0]['cell-gateway'], '支付宝')
    assert.equal(shown[0]['cell-total'], '88.00')

    assert.equal(await search('trade_no', 'no-such-order-000000000000000000'), 'empty')
    assert.equal((await rows()).length, 0)
    assert.ok(await page.isVisible(tid('list-empty')), 'the empty state is shown')
    assert.equal(await text('list-empty'), '没有符合条件的订单')
    assert.equal((await pageLabel()).label, '第 1 页 / 共 0 条')
    await page.fill(tid('search-input'), '')
    await resetFilters()
  })

  it('filters by a paid-at date range (Beijing days)', async () => {
    await page.fill(tid('paid-from'), '2024-12-01')
    await listSettled()
    await page.fill(tid('paid-to'), '2024-12-01')
    await listSettled()
    const expected = await emulatorCount({ paid_at__gte: beijingDay('2024-12-01'), paid_at__lte: beijingDay('2024-12-01', true) })
    assert.ok(expected >= 8, `the fixtures were paid on 2024-12-01; the emulator counts ${expected}`)
    assert.equal((await pageLabel()).total, expected)
    const shown = await rows()
    assert.equal(shown.length, Math.min(20, expected))
    for (const r of shown) assert.match(r['cell-paid-at'], /^2024-12-01 /, `row ${r['cell-id']} paid ${r['cell-paid-at']}`)
    await resetFilters()
  })

  it('pages with next / previous and the page size', async () => {
    const total = (await pageLabel()).total
    const first = (await rows()).map(r => r['cell-id'])
    await page.click(tid('next-page'))
    await listSettled()
    assert.deepEqual(await pageLabel(), { page: 2, total, label: `第 2 页 / 共 ${total} 条` })
    const second = (await rows()).map(r => r['cell-id'])
    assert.equal(second.length, 20)
    assert.equal(second.filter(id => first.includes(id)).length, 0, 'page 2 shows other orders than page 1')
    await page.click(tid('prev-page'))
    await listSettled()
    assert.equal((await pageLabel()).page, 1)
    assert.deepEqual((await rows()).map(r => r['cell-id']), first)
    assert.ok(await page.isDisabled(tid('prev-page')), 'no previous page on page 1')

    await page.selectOption(tid('page-size'), '50')
    await listSettled()
    assert.equal((await rows()).length, 50)
    assert.deepEqual((await rows()).slice(0, 20).map(r => r['cell-id']), first)
    await page.selectOption(tid('page-size'), '20')
    await listSettled()
  })

  it('sorts by total_cost ascending and descending', async () => {
    const amounts = async () => (await rows()).map(r => Number(r['cell-total']))
    await page.selectOption(tid('order-by'), 'total_cost')
    await listSettled()
    let a = await amounts()
    assert.equal(a.length, 20)
    for (let i = 1; i < a.length; i++) assert.ok(a[i - 1] <= a[i], `ascending amounts: ${a.join(', ')}`)
    await page.click(tid('next-page'))
    await listSettled()
    const b = await amounts()
    assert.ok(a[a.length - 1] <= b[0], `page 2 continues the ascending order: ${a[a.length - 1]} then ${b[0]}`)

    await page.selectOption(tid('order-by'), '-total_cost')
    await listSettled()
    assert.equal((await pageLabel()).page, 1, 'a new sort goes back to page 1')
    a = await amounts()
    for (let i = 1; i < a.length; i++) assert.ok(a[i - 1] >= a[i], `descending amounts: ${a.join(', ')}`)
    await resetFilters()
  })

  it('opens the detail of order 29973 with all fields and wechat_response', async () => {
    await search('id', String(F.orderId))
    assert.equal((await rows()).length, 1)
    await openRow(F.orderId)
    assert.equal(await text('detail-id'), '29973')
    assert.equal(await text('detail-trade-no'), F.orderTradeNo)
    assert.match(await text('detail-gateway-type'), /微信支付/)
    assert.match(await text('detail-status'), /已支付/)
    assert.equal(await text('detail-total-cost'), '¥ 398.00')
    assert.equal(await text('detail-refund-status'), '未退款')
    for (const key of ['transaction-no', 'paid-at', 'created-at', 'updated-at', 'created-by-name', 'ip-address', 'merchandise-description']) {
      assert.ok((await text(`detail-${key}`)).length > 0, `detail field ${key} is shown`)
    }
    const extra = JSON.parse(await text('detail-extra'))
    assert.equal(extra.wechat_response.total_fee, '39800')
    assert.equal(extra.wechat_response.out_trade_no, F.orderTradeNo)
    assert.match(await page.textContent(tid('detail-extra')), /\n {2}"wechat_response": \{\n/, 'wechat_response is pretty-printed')
    assert.equal(await page.inputValue(tid('refund-order-id')), '29973')
    assert.ok(await page.isVisible(tid('wechat-share-form')), 'a WeChat order offers WeChat profit sharing')
    assert.ok(!(await page.isVisible(tid('alipay-share-form'))), 'but not Alipay profit sharing')
  })

  /** Opens order 29973 alone in the list. */
  async function openOrder() {
    await search('id', String(F.orderId))
    await openRow(F.orderId)
  }

  it('refunds part of 29973: refund_status becomes partial in the detail and the list', async () => {
    await openOrder()
    await page.fill(tid('refund-amount'), '10.00')
    await page.fill(tid('refund-memo'), '测试部分退款')
    await page.click(tid('refund-submit'))
    const r = await actionResult('refund-result')
    assert.equal(r.kind, 'success', `refund result: ${r.text}`)
    assert.match(r.text, /退款成功/)
    assert.match(r.text, /10\.00/)
    assert.match(await text('detail-refund-status'), /部分退款/)
    assert.equal(await text('detail-refund-amount'), '¥ 10.00')
    const shown = await rows()
    assert.equal(shown.length, 1)
    assert.equal(shown[0]['cell-refund-status'], '部分退款')
    assert.equal(shown[0]['cell-refund-amount'], '10.00')
    await shot('detail.png')
  })

  it('shows the server error of an over-refund', async () => {
    await openOrder()
    await page.fill(tid('refund-amount'), '99999')
    await page.click(tid('refund-submit'))
    const r = await actionResult('refund-result')
    assert.equal(r.kind, 'error', `over-refund result: ${r.text}`)
    assert.equal(r.code, '400')
    assert.match(r.text, /错误 400/)
    assert.match(r.text, /exceeds the refundable amount 398\.00/, `the server's error_msg is shown: ${r.text}`)
    assert.ok(await page.isVisible(tid('refund-result')))
    await shot('error.png')
    assert.equal(await text('detail-refund-status'), '未退款', 'nothing was refunded')
  })

  it('names the field of a 605 in the refund form', async () => {
    await openOrder()
    await page.fill(tid('refund-amount'), '1.234')
    await page.click(tid('refund-submit'))
    const r = await actionResult('refund-result')
    assert.equal(r.kind, 'error')
    assert.equal(r.code, '605', `a 3-decimal amount is refused before sending: ${r.text}`)
    assert.match(r.text, /refund_amount/)
    assert.match(r.text, /退款金额/)
    await page.click(tid('detail-close'))
    assert.ok(!(await page.isVisible(tid('detail'))))
  })

  it('shares profit of the WeChat profit-sharing order (multi, 100 fen to the openid receiver)', async () => {
    await search('trade_no', F.wxShare)
    const [row] = await rows()
    assert.equal(row['cell-trade-no'], F.wxShare)
    await openRow(Number(row['cell-id']))
    assert.equal(await page.inputValue(tid('wx-trade-no')), F.wxShare, 'trade_no is prefilled')
    assert.ok((await page.inputValue(tid('wx-appid'))).startsWith('wx'), 'appid is prefilled from wechat_response')

    // 605 first: an empty account never leaves the page.
    await page.selectOption(tid('wx-type'), 'PERSONAL_OPENID')
    assert.equal(await page.inputValue(tid('wx-account')), F.openid, 'the openid receiver is filled in')
    await page.fill(tid('wx-account'), '')
    await page.click(tid('wx-submit'))
    let r = await actionResult('wx-result')
    assert.equal(r.kind, 'error')
    assert.equal(r.code, '605', `empty account: ${r.text}`)
    assert.match(r.text, /account/, `the 605 names the field: ${r.text}`)
    assert.match(r.text, /接收方账户/, `and says it in words: ${r.text}`)

    await page.fill(tid('wx-account'), F.openid)
    await page.selectOption(tid('wx-mode'), 'multi')
    await page.fill(tid('wx-amount'), '100')
    await page.click(tid('wx-submit'))
    r = await actionResult('wx-result')
    assert.equal(r.kind, 'success', `multi profit sharing: ${r.text}`)
    assert.match(r.text, /多次分账成功/)
    assert.match(r.text, /SUCCESS/)
    assert.match(r.text, /3008450740\d{20}/, 'the WeChat sharing order number is shown')

    // Over the 30% cap (30.00 of 100.00, 1.00 already shared): the server's message.
    await page.fill(tid('wx-amount'), '3000')
    await page.click(tid('wx-submit'))
    r = await actionResult('wx-result')
    assert.equal(r.kind, 'error')
    assert.equal(r.code, '400')
    assert.match(r.text, /exceeds 30% of the order/)
  })

  it('shows a refund of the profit-shared order as failed with its error_msg', async () => {
    await search('trade_no', F.wxShare)
    await openRow(Number((await rows())[0]['cell-id']))
    await page.selectOption(tid('wx-type'), 'PERSONAL_OPENID')
    await page.selectOption(tid('wx-mode'), 'multi')
    await page.fill(tid('wx-amount'), '100')
    await page.click(tid('wx-submit'))
    assert.equal((await actionResult('wx-result')).kind, 'success', 'shared first')
    await page.fill(tid('refund-amount'), '')
    await page.click(tid('refund-submit'))
    const r = await actionResult('refund-result')
    assert.equal(r.kind, 'error', `refund of a profit-shared order: ${r.text}`)
    assert.match(r.text, /退款失败/)
    assert.match(r.text, /分账回退/)
    assert.equal(await text('detail-refund-status'), '未退款')
    assert.equal((await rows())[0]['cell-refund-status'], '—')
    await page.click(tid('detail-close'))
  })

  it('shares profit of the Alipay order', async () => {
    await search('trade_no', F.aliShare)
    const [row] = await rows()
    await openRow(Number(row['cell-id']))
    assert.ok(await page.isVisible(tid('alipay-share-form')))
    assert.ok(!(await page.isVisible(tid('wechat-share-form'))))
    assert.equal(await page.inputValue(tid('ali-trade-no')), F.aliShare)
    await page.selectOption(tid('ali-type'), 'loginName')
    assert.equal(await page.inputValue(tid('ali-account')), 'receiver@example.com')
    await page.fill(tid('ali-amount'), '250')
    await page.click(tid('ali-submit'))
    const r = await actionResult('ali-result')
    assert.equal(r.kind, 'success', `alipay profit sharing: ${r.text}`)
    assert.match(r.text, /10000/)
    await page.click(tid('detail-close'))
    await page.fill(tid('search-input'), '')
    await resetFilters()
  })

  // ---- the profit-sharing lifecycle -----------------------------------------

  /** The sharing history as shown, once it has loaded with `n` rows. */
  async function history(n) {
    await until(`the sharing history with ${n} rows`, n => {
      const h = document.querySelector('[data-testid="sharing-history"]')
      return h.dataset.state === 'ready' && document.querySelectorAll('[data-testid="history-row"]').length === n
    }, n)
    return page.$$eval('[data-testid="history-row"]', trs =>
      trs.map(tr => Object.fromEntries([...tr.querySelectorAll('td[data-testid]')].map(td => [td.dataset.testid, td.textContent.trim()]))))
  }

  async function openByTradeNo(tradeNo) {
    await search('trade_no', tradeNo)
    const [row] = await rows()
    assert.equal(row['cell-trade-no'], tradeNo)
    await openRow(Number(row['cell-id']))
  }

  /** A receivers-panel result once settled. */
  async function panelResult(box) {
    await until(`the result of ${box}`, box => ['success', 'error'].includes(document.querySelector(`[data-testid="${box}"]`).dataset.kind), box)
    return page.$eval(tid(box), b => ({ kind: b.dataset.kind, code: b.dataset.code || '', text: b.textContent.replace(/\s+/g, ' ').trim() }))
  }

  it("the seed's flow by hand: share, refund refused, return (twice, once moved), refund succeeds", async () => {
    await openByTradeNo(F.wxShare)
    assert.deepEqual(await history(0), [], 'no sharing yet')
    assert.ok(await page.isVisible(tid('history-empty')))
    assert.equal(await page.inputValue(tid('wx-account')), F.merchant)
    await page.fill(tid('wx-amount'), '100')
    await page.click(tid('wx-submit'))
    assert.equal((await actionResult('wx-result')).kind, 'success', 'shared 100 fen')
    let shown = await history(1)
    assert.equal(shown[0]['history-type'], '多次分账')
    assert.equal(shown[0]['history-status'], '处理完成')
    assert.equal(shown[0]['history-account'], `MERCHANT_ID ${F.merchant}`)
    assert.equal(shown[0]['history-amount'], '100')
    const sharingNo = shown[0]['history-trade-no']
    assert.notEqual(sharingNo, F.wxShare, 'the sharing order has its own number')

    await page.click(tid('refund-submit'))
    let r = await actionResult('refund-result')
    assert.equal(r.kind, 'error', `refund before the return: ${r.text}`)
    assert.match(r.text, /退款失败/)
    assert.match(r.text, /分账回退/)

    await page.click(tid('history-return'))
    assert.equal(await page.inputValue(tid('return-trade-no')), sharingNo, 'the return names the sharing order')
    assert.equal(await page.inputValue(tid('return-account')), F.merchant)
    assert.equal(await page.inputValue(tid('return-amount')), '100')
    assert.ok((await page.inputValue(tid('return-appid'))).startsWith('wx'), 'appid prefilled')
    await page.click(tid('return-submit'))
    r = await actionResult('return-result')
    assert.equal(r.kind, 'success', `return: ${r.text}`)
    assert.match(r.text, /回退成功/)
    assert.match(r.text, /回退 100 分/)
    const first = /微信回退单号 (\d+)/.exec(r.text)[1]
    // The same refund_no again: the same return, nothing moves twice.
    await page.click(tid('return-submit'))
    r = await actionResult('return-result')
    assert.equal(r.kind, 'success', `the same return again: ${r.text}`)
    assert.equal(/微信回退单号 (\d+)/.exec(r.text)[1], first)

    await page.fill(tid('refund-amount'), '')
    await page.click(tid('refund-submit'))
    r = await actionResult('refund-result')
    assert.equal(r.kind, 'success', `refund after the return: ${r.text}`)
    assert.match(r.text, /退款成功/)
    assert.match(r.text, /100\.00/)
    assert.match(await text('detail-refund-status'), /全额退款/)
    assert.equal((await rows())[0]['cell-refund-status'], '全额退款')
  })

  it('finish: the order is closed to sharing and the finish is in its history', async () => {
    await openByTradeNo(F.wxShare2)
    assert.ok(await page.isVisible(tid('finish-form')), 'a profit_sharing WeChat order can be finished')
    await page.click(tid('finish-submit'))
    let r = await actionResult('finish-result')
    assert.equal(r.kind, 'success', `finish: ${r.text}`)
    assert.match(r.text, /完结分账成功/)
    const shown = await history(1)
    assert.equal(shown[0]['history-type'], '完结分账')
    assert.equal(shown[0]['history-account'], '—')
    await page.click(tid('wx-submit'))
    r = await actionResult('wx-result')
    assert.equal(r.kind, 'error')
    assert.equal(r.code, '400')
    assert.match(r.text, /closed/)
  })

  it('receivers panel: a WeChat receiver must be added before sharing to it; removed, it is refused again', async () => {
    const account = '1900000555'
    // 605 first: a MERCHANT_ID needs its name.
    await page.fill(tid('rcv-wx-account'), account)
    await page.click(tid('rcv-wx-add'))
    let r = await panelResult('rcv-wx-result')
    assert.equal(r.kind, 'error')
    assert.equal(r.code, '605', `no name: ${r.text}`)
    assert.match(r.text, /接收方全称/)
    await page.fill(tid('rcv-wx-name'), '新合作商户')
    await page.click(tid('rcv-wx-add'))
    r = await panelResult('rcv-wx-result')
    assert.equal(r.kind, 'success', `add: ${r.text}`)
    assert.match(r.text, /已添加接收方/)

    await openByTradeNo(F.wxShare)
    await page.fill(tid('wx-account'), account)
    await page.click(tid('wx-submit'))
    assert.equal((await actionResult('wx-result')).kind, 'success', 'sharing to the added receiver works')
    assert.equal((await history(1))[0]['history-account'], `MERCHANT_ID ${account}`)
    await page.click(tid('detail-close'))

    await page.click(tid('rcv-wx-remove'))
    await until('the removal', () => /已删除接收方/.test(document.querySelector('[data-testid="rcv-wx-result"]').textContent))
    await openByTradeNo(F.wxShare)
    await page.fill(tid('wx-account'), account)
    await page.click(tid('wx-submit'))
    r = await actionResult('wx-result')
    assert.equal(r.kind, 'error', `sharing to a removed receiver: ${r.text}`)
    assert.match(r.text, /not registered/)
  })

  it('receivers panel: Alipay add, query, remove', async () => {
    await page.click(tid('rcv-ali-query'))
    await until('the Alipay receiver list', () => document.querySelectorAll('[data-testid="rcv-ali-item"]').length === 2)
    await page.fill(tid('rcv-ali-account'), '2088000000000009')
    await page.fill(tid('rcv-ali-name'), '赵六')
    await page.click(tid('rcv-ali-add'))
    await until('three Alipay receivers', () => document.querySelectorAll('[data-testid="rcv-ali-item"]').length === 3)
    const items = await page.$$eval('[data-testid="rcv-ali-item"]', lis => lis.map(li => li.textContent))
    assert.ok(items.includes('userId 2088000000000009'), items.join(', '))
    await page.click(tid('rcv-ali-remove'))
    await until('two Alipay receivers again', () => document.querySelectorAll('[data-testid="rcv-ali-item"]').length === 2)
  })

  it('shows a list error with a retry', async () => {
    await control('POST', 'faults', { kind: 'status', status: 503, count: 10, path_prefix: PATHS.orderList })
    await page.click(tid('search-button'))
    await until('the list error', () => document.querySelector('[data-testid="list-panel"]').dataset.state === 'error')
    const msg = await text('list-error')
    assert.match(msg, /订单列表加载失败/)
    assert.match(msg, /503/)
    assert.match(msg, /injected fault/)
    await control('DELETE', 'faults')
    await page.click(tid('list-retry'))
    await listSettled()
    assert.equal((await rows()).length, 20)
    assert.ok(!(await page.isVisible(tid('list-error'))))
  })
})
