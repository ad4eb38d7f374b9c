// The example projects' page (examples/miniprogram-wechat, -alipay) run in
// their runtime's simulation: Page() captured, onLoad lists, a tap refunds.
import assert from 'node:assert/strict'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, reset, requests } from './emulator.mjs'
import { codePackage, runtime, openPage } from './miniprogram-sim.mjs'

export async function assertExamplePage(platform, system) {
  await reset()
  // The project as a user has it after "build npm", with config.js pointed at the emulator.
  const dir = codePackage(platform, `miniprogram-${platform}`, { clientID: CLIENT_ID, host: EMULATOR })
  const rt = runtime({ platform, os: system, token: ADMIN_TOKEN, dir })
  rt.require('./app.js')
  assert.equal(rt.apps.length, 1)
  const page = openPage(rt, './pages/orders/orders.js')

  await page.onLoad({})
  assert.equal(page.setDataCalls.length, 1, JSON.stringify(page.setDataCalls))
  const [listed] = page.setDataCalls
  assert.equal(listed.error, '')
  assert.ok(listed.orders.length > 0 && listed.orders.length <= 20)
  // What the page shows is what the emulator answered to the one list request it got.
  const list = (await requests()).filter(r => r.path === '/hserve/v2.2/idp/pay/order/')
  assert.equal(list.length, 1)
  assert.match(list[0].query, /status=success/)
  assert.equal(list[0].headers['x-hydrogen-client-platform'], platform === 'wechat' ? 'WECHAT' : 'ALIPAY')
  for (const o of listed.orders) assert.deepEqual(Object.keys(o).sort(), ['id', 'refund_status', 'total_cost', 'trade_no'])

  // A tap on the first order's button: the event as each runtime delivers it.
  const first = listed.orders[0]
  const dataset = { id: String(first.id) }
  const event = platform === 'wechat' ? { type: 'tap', currentTarget: { dataset }, target: { dataset } } : { type: 'tap', target: { dataset } }
  await page.onRefund(event)
  assert.equal(page.setDataCalls.length, 2)
  assert.deepEqual(page.setDataCalls[1], {
    refunded: { id: first.id, status: 'succeed', refund_amount: Number(first.total_cost).toFixed(2) },
    error: '',
  })
  const refunds = (await requests()).filter(r => r.path === '/hserve/v2.0/idp/pay/refund/')
  assert.equal(refunds.length, 1)
  assert.equal(JSON.parse(refunds[0].body).order_id, first.id)

  // A second tap on the same order: the server refuses (nothing left to refund); the page shows the HError.
  await page.onRefund(event)
  const refused = page.setDataCalls[2]
  assert.ok(refused.code >= 400 && refused.code < 500, JSON.stringify(refused))
  assert.ok(refused.error.startsWith(`${refused.code}: `))
  return page
}
