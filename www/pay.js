// The "new payment" panel: a person takes a payment through the package
// (BaaS.payment), sees the QR code of its code_url (drawn by the npm library
// qrcode-generator, MIT, served from tests/node_modules by xtask's static
// server at /vendor/qrcode.mjs), opens the emulator's checkout page, and the
// panel waits with Order#waitForPayment until the server says paid; the
// paid order then opens in the detail (share → return → refund).
import { BaaS } from 'baas-order'
import qrcode from 'qrcode-generator'
import { $, el, numberOrText, showBox, showError } from './view.js'

const WECHAT = /^weixin_tenpay/
const CALL = { weixin: 'payWithWechat', alipay: 'payWithAlipay', qpay: 'payWithQQ' }
let waiting = null

/** The QR code of `text` as an SVG element (the library writes its markup; parsed, not inserted as HTML). */
function qr(text) {
  const code = qrcode(0, 'M')
  code.addData(text)
  code.make()
  const svg = new DOMParser().parseFromString(code.createSvgTag({ cellSize: 4, margin: 4, scalable: true }), 'image/svg+xml').documentElement
  svg.setAttribute('data-testid', 'pay-qr-svg')
  svg.setAttribute('data-modules', String(code.getModuleCount()))
  return document.importNode(svg, true)
}

/**
 * Wires the panel. `tokens` are the emulator's { user, admin }: a payment is
 * created by a buyer (a user's token; the emulator refuses the admin's), the
 * rest of the console runs as the admin. `openDetail(transactionNo)` shows an order.
 */
export function wirePayment(tokens, openDetail, onPaid) {
  const form = $('pay-form')
  const status = $('pay-status')
  const sync = () => {
    const wechat = WECHAT.test(form.elements.gatewayType.value)
    form.elements.profitSharing.disabled = !wechat
    if (!wechat) form.elements.profitSharing.checked = false
  }
  form.elements.gatewayType.addEventListener('change', sync)
  sync()
  form.addEventListener('submit', async ev => {
    ev.preventDefault()
    if (waiting) waiting.abort()
    const f = form.elements
    const gatewayType = f.gatewayType.value
    const options = { gatewayType, totalCost: numberOrText(f.totalCost.value), merchandiseDescription: f.merchandiseDescription.value }
    if (WECHAT.test(gatewayType)) options.profitSharing = f.profitSharing.checked
    const out = $('pay-result')
    const box = $('pay-error')
    box.hidden = true
    out.hidden = true
    status.dataset.state = 'creating'
    status.textContent = '正在创建订单…'
    let created
    try {
      // The request is built at once, with the buyer's token; the admin's is back before anything else runs.
      BaaS.setToken(tokens.user)
      const call = BaaS.payment[CALL[gatewayType.split('_')[0]]](options)
      BaaS.setToken(tokens.admin)
      created = (await call).data
    } catch (e) {
      BaaS.setToken(tokens.admin)
      status.dataset.state = 'error'
      status.textContent = '创建失败'
      showError(box, e)
      return
    }
    const link = created.code_url || created.mweb_url || created.payment_url
    $('pay-trade-no').textContent = created.trade_no
    $('pay-transaction-no').textContent = created.transaction_no
    const a = $('pay-link')
    a.href = link
    a.textContent = link
    $('pay-qr').replaceChildren(created.code_url ? qr(created.code_url) : el('span', { class: 'muted' }, '此支付方式打开链接支付'))
    $('pay-open').dataset.transactionNo = created.transaction_no
    out.hidden = false
    status.dataset.state = 'waiting'
    status.textContent = '等待支付…（扫码或打开收银台）'
    waiting = new AbortController()
    try {
      const res = await new BaaS.Order().waitForPayment(created.transaction_no, { interval: 1000, timeout: 600000, signal: waiting.signal })
      status.dataset.state = 'paid'
      status.textContent = `已支付 ¥${res.data.total_cost}`
      onPaid && onPaid(res.data)
    } catch (e) {
      if (e.aborted) return
      status.dataset.state = e.code === 608 ? 'failed' : 'error'
      status.textContent = e.code === 608 ? '支付失败' : e.code === 601 ? '等待超时，订单仍未支付' : '查询失败'
      showError(box, e)
    }
  })
  $('pay-open').addEventListener('click', ev => openDetail(ev.currentTarget.dataset.transactionNo))
}
