// The packed package in one browser engine: suite.js runs in the page, the
// assertions here name the engine and the case. Used by firefox.test.mjs and
// webkit.test.mjs, each run by `cargo xtask test` beside the other with its
// own emulator (the cases refund and share: two engines on one emulator
// would see each other's writes).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import * as seed from '../js/seed.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, PATHS, FIXTURES as F, reset, requests } from '../js/emulator.mjs'
import { assertSeedRun } from '../js/miniprogram-sim.mjs'
import { runSuite, until, deadPort } from './browsers.mjs'

/** Through the glue's UTF-8 both ways: CJK, an astral CJK ideograph, an emoji (a surrogate pair in JS). */
export const TEXT = '退款：顾客取消 𠮷野家 🧧'
const STATIC = (process.env.BAAS_STATIC_URL || '').replace(/\/$/, '')

/**
 * How each engine words a `fetch` that could not connect: the package keeps
 * the engine's own text in its 600 message, so this is where they differ.
 */
const NETWORK_WORDING = {
  firefox: /NetworkError when attempting to fetch resource/,
  webkit: /Load failed/,
}

async function emulatorOrders() {
  const res = await fetch(`${EMULATOR}${PATHS.orderList}?limit=1000`, {
    headers: { 'X-Hydrogen-Client-ID': CLIENT_ID, Authorization: `Hydrogen-r1 ${ADMIN_TOKEN}` },
  })
  assert.equal(res.status, 200)
  return (await res.json()).objects
}

export function browserTests(launch) {
  let driver
  let out
  let sent
  let orders

  before(async () => {
    await reset()
    driver = await launch()
    console.log(`# engine: ${driver.version}`)
    const cfg = {
      emulator: EMULATOR,
      deadHost: `http://127.0.0.1:${await deadPort()}`,
      clientID: CLIENT_ID,
      token: ADMIN_TOKEN,
      blocks: { listBlocks: seed.listBlocks, refundBlocks: seed.refundBlocks, sharingBlocks: seed.sharingBlocks },
      recordingBaaS: seed.recordingBaaS.toString(),
      runBlocks: seed.runBlocks.toString(),
      text: TEXT,
      fixtures: F,
    }
    out = await runSuite(driver, cfg)
    sent = (await requests()).filter(r => r.path.startsWith('/hserve/'))
    orders = await emulatorOrders()
  })

  after(async () => {
    await driver?.close()
  })

  const value = name => {
    const c = out.cases[name]
    assert.ok(c, `${driver.engine}: case ${name} did not run`)
    assert.ok(!c.threw, `${driver.engine}: case ${name} threw ${c.threw}\n${c.stack}`)
    return c.value
  }

  test('init: the wasm loads (instantiateStreaming) and init resolves', () => {
    assert.equal(typeof value('init').ms, 'number')
  })

  test('the seed examples verbatim, a WeChat multi sharing and a get', () => {
    assertSeedRun(value('seed'))
  })

  test('a single WeChat and an Alipay profit sharing', () => {
    const { wechat, alipay } = value('sharing')
    assert.equal(wechat.status, 200, JSON.stringify(wechat))
    assert.equal(alipay.status, 200, JSON.stringify(alipay))
    const wx = sent.find(r => r.method === 'POST' && r.path === PATHS.wechatProfitSharing)
    assert.ok(wx, `${driver.engine}: no WeChat sharing request recorded`)
    assert.equal(JSON.parse(wx.body).receivers[0].description, '分给张三 🧧')
  })

  test('a refund with CJK and astral text: the bytes sent and the reply', () => {
    const r = value('refundText')
    assert.equal(r.status, 200, JSON.stringify(r))
    assert.equal(r.data.memo, TEXT)
    const post = sent.find(s => s.method === 'POST' && s.path === PATHS.refund && JSON.parse(s.body).memo !== undefined && JSON.parse(s.body).trade_no === F.tradeNo)
    assert.ok(post, `${driver.engine}: the refund was not recorded`)
    assert.equal(JSON.parse(post.body).memo, TEXT)
  })

  test('a 605 (before sending) and a 404 are BaaS.HErrors', () => {
    const { limit, refund } = value('hError605')
    assert.equal(limit.sync, true, 'limit(-1) throws at once')
    for (const [e, field] of [[limit, /^limit$/], [refund, /^order_id\b/]]) {
      assert.equal(e.isHError, true, JSON.stringify(e))
      assert.equal(e.isError, true)
      assert.equal(e.name, 'HError')
      assert.equal(e.code, 605)
      assert.match(e.field, field)
      assert.ok(e.message.startsWith('605: '), e.message)
    }
    const nf = value('hError404')
    assert.equal(nf.isHError, true, JSON.stringify(nf))
    assert.equal(nf.code, 404)
  })

  test('BaaS.Query: compare + in, and Query.or, give what the emulator holds', () => {
    const { both, either } = value('query')
    const want = orders.filter(o => o.status === 'success' && o.gateway_type === 'alipay')
    assert.ok(want.length > 0)
    assert.equal(both.total, want.length, JSON.stringify(both).slice(0, 300))
    assert.equal(both.count, want.length)
    assert.ok(both.rows.every(([status, gw]) => status === 'success' && gw === 'alipay'))
    const wantEither = orders.filter(o => o.trade_no === F.tradeNo || o.transaction_no === F.transactionNo)
    assert.equal(either.count, wantEither.length, JSON.stringify(either))
    assert.ok(either.rows.every(([, , t, x]) => t === F.tradeNo || x === F.transactionNo))
  })

  test('an aborted signal: HError 600 `aborted`, before sending and in flight', () => {
    const { before: b, inFlight } = value('aborted')
    assert.equal(b.isHError, true, JSON.stringify(b))
    assert.equal(b.code, 600)
    assert.equal(b.aborted, true)
    assert.equal(b.causeIsReason, true, 'the signal\'s reason is the cause')
    assert.equal(inFlight.isHError, true, JSON.stringify(inFlight))
    assert.equal(inFlight.code, 600)
    assert.equal(inFlight.aborted, true)
  })

  test('iterate: every order once, as many as meta.total_count', () => {
    const it = value('iterate')
    assert.equal(it.total, orders.length)
    assert.equal(it.count, it.total)
    assert.equal(it.unique, it.count)
  })

  test('a connection refused is an HError 600 with the engine\'s own wording', () => {
    const n = value('network')
    assert.equal(n.isHError, true, JSON.stringify(n))
    assert.equal(n.code, 600)
    // Firefox says "NetworkError when attempting to fetch resource.", WebKit "Load failed"
    // (Chromium: "Failed to fetch"): the package keeps the engine's wording in its message.
    console.log(`# ${driver.engine}: ${n.message}`)
    assert.match(n.message, NETWORK_WORDING[driver.engine])
  })

  test('the console (www/, from xtask\'s static server): loads the list and opens an order', { skip: !STATIC && 'BAAS_STATIC_URL not set' }, async () => {
    await reset()
    await driver.goto(STATIC + '/')
    const settled = `(() => { const p = document.querySelector('[data-testid="list-panel"]'); return p && p.getAttribute('aria-busy') === 'false' && ['ready', 'empty', 'error'].includes(p.dataset.state) && p.dataset.state })()`
    const state = await until(driver, 'the console\'s order list', settled, 30000)
    const shown = await driver.eval(`({ label: document.querySelector('[data-testid="page-label"]').textContent.trim(), rows: [...document.querySelectorAll('[data-testid="order-row"]')].map(r => r.dataset.id), error: (document.querySelector('[data-testid="list-error"]') || {}).textContent })`)
    assert.equal(state, 'ready', `${driver.engine}: the console shows ${state}: ${shown.error}`)
    const total = (await emulatorOrders()).length
    assert.match(shown.label, new RegExp(`^第 1 页 / 共 ${total} 条$`))
    assert.ok(shown.rows.length > 0)
    const id = shown.rows[0]
    await driver.eval(`(document.querySelector('[data-testid="order-row"][data-id="${id}"]').click(), true)`)
    await until(driver, `the detail of order ${id}`, `(() => { const d = document.querySelector('[data-testid="detail"]'); return d.dataset.state === 'ready' && (document.querySelector('[data-testid="detail-id"]') || {}).textContent === ${JSON.stringify(id)} })()`, 30000)
  })
}
