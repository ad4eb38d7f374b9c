// The console's profit-sharing lifecycle: an order's sharing history with
// its return (分账回退) and finish actions, and the receivers panel (WeChat
// and Alipay), all through BaaS.wechat / BaaS.alipay.profitSharing.
import { BaaS } from 'baas-order'
import { $, ORDER_TYPE, SHARING_STATUS, numberOrText, el, showBox, showError, hideBox, resultDetails } from './view.js'

let historySeq = 0

/** Shows the sharing parts of the detail for `order` and loads its history. */
export function showSharing(order) {
  const isWechat = /^weixin_tenpay/.test(order.gateway_type)
  $('sharing-history').hidden = !(isWechat || /^alipay/.test(order.gateway_type))
  $('return-form').hidden = !isWechat
  $('finish-form').hidden = !(isWechat && order.profit_sharing === true)
  loadHistory(order)
}

/** Another order is shown: its forms start empty, with its `appid`. */
export function resetSharing(appid) {
  for (const id of ['return-result', 'finish-result']) hideBox($(id))
  const f = $('return-form').elements
  for (const name of ['trade_no', 'refund_no', 'account', 'amount']) f[name].value = ''
  f.appid.value = appid
}

/** The sharing orders of `order` (its sharing history). */
async function loadHistory(order) {
  const seq = ++historySeq
  const ns = /^alipay/.test(order.gateway_type) ? BaaS.alipay.profitSharing : BaaS.wechat.profitSharing
  const body = $('history-rows')
  hideBox($('history-error'))
  $('sharing-history').dataset.state = 'loading'
  try {
    const res = await new ns.Order().limit(100).getOrderList({ payment_order_id: order.id })
    if (seq !== historySeq) return
    const wechat = /^weixin_tenpay/.test(order.gateway_type)
    const trs = res.data.objects.flatMap(so => {
      const shares = so.receiver && so.receiver.length ? so.receiver : [null]
      return shares.map(r => {
        const back = wechat && r ? el('button', { type: 'button', testid: 'history-return' }, '回退') : null
        if (back) back.addEventListener('click', () => fillReturn(so, r))
        return el('tr', { testid: 'history-row', 'data-trade-no': so.trade_no },
          el('td', { class: 'mono', testid: 'history-trade-no' }, so.trade_no),
          el('td', { testid: 'history-type' }, ORDER_TYPE[so.order_type] || so.order_type),
          el('td', { testid: 'history-status' }, SHARING_STATUS[so.status] || so.status),
          el('td', { class: 'mono', testid: 'history-account' }, r ? `${r.type} ${r.account}` : '—'),
          el('td', { class: 'num', testid: 'history-amount' }, r ? String(r.amount) : '—'),
          el('td', {}, back))
      })
    })
    body.replaceChildren(...trs)
    $('history-empty').hidden = trs.length > 0
    $('sharing-history').dataset.state = 'ready'
  } catch (e) {
    if (seq !== historySeq) return
    body.replaceChildren()
    showError($('history-error'), e)
    $('sharing-history').dataset.state = 'error'
  }
}

/** A history row's 回退: the return form filled for that receiver's share. */
function fillReturn(so, share) {
  const f = $('return-form').elements
  f.trade_no.value = so.trade_no
  f.refund_no.value = `RT${Date.now()}`
  f.type.value = share.type
  f.account.value = share.account
  f.amount.value = String(share.amount)
  hideBox($('return-result'))
  $('return-form').scrollIntoView({ block: 'nearest' })
}

/** A receivers-panel call: the button off while it runs, the outcome in `box`. */
async function runPanel(button, box, call, onSuccess) {
  button.disabled = true
  box.hidden = false
  box.className = 'banner info'
  box.dataset.kind = 'pending'
  box.replaceChildren(el('span', { class: 'spinner' }), '处理中…')
  try {
    onSuccess(await call())
  } catch (e) {
    showError(box, e)
  } finally {
    button.disabled = false
  }
}

function wechatReceiver(remove) {
  const f = $('rcv-wx-form').elements
  const options = { mch_id: f.mch_id.value.trim(), appid: f.appid.value.trim(), type: f.type.value, account: f.account.value.trim() }
  if (!remove) {
    options.relation_type = f.relation_type.value
    if (f.name.value.trim()) options.name = f.name.value.trim()
    if (f.custom_relation.value.trim()) options.custom_relation = f.custom_relation.value.trim()
  }
  const box = $('rcv-wx-result')
  const ns = BaaS.wechat.profitSharing
  runPanel($(remove ? 'rcv-wx-remove' : 'rcv-wx-add'), box, () => (remove ? ns.removeReceiver(options) : ns.addReceiver(options)), res => {
    const r = res.data || {}
    showBox(box, 'success', remove ? '已删除接收方' : '已添加接收方', `${options.type} ${options.account}（appid ${r.appid}）`, resultDetails(r))
  })
}

const requestNo = () => `req_${Date.now()}`

function alipayReceiver(remove) {
  const f = $('rcv-ali-form').elements
  const options = { request_no: requestNo(), receivers: [{ type: f.type.value, account: f.account.value.trim(), name: f.name.value.trim() }] }
  const box = $('rcv-ali-result')
  const ns = BaaS.alipay.profitSharing
  runPanel($(remove ? 'rcv-ali-remove' : 'rcv-ali-add'), box, () => (remove ? ns.removeReceiver(options) : ns.addReceiver(options)), res => {
    showBox(box, 'success', remove ? '已删除接收方' : '已添加接收方', `${options.receivers[0].type} ${options.receivers[0].account}（${res.data.return_code}）`)
    queryAlipayReceivers()
  })
}

function queryAlipayReceivers() {
  const list = $('rcv-ali-list')
  runPanel($('rcv-ali-query'), $('rcv-ali-result'), () => BaaS.alipay.profitSharing.receiverQuery({ request_no: requestNo(), page_size: 100 }), res => {
    const d = res.data || {}
    showBox($('rcv-ali-result'), 'success', '接收方', `共 ${d.total_record_num} 个`)
    list.replaceChildren(...(d.receiver_list || []).map(r => el('li', { testid: 'rcv-ali-item' }, `${r.type} ${r.account}`)))
  })
}

/**
 * Wires the return and finish forms (money-moving: through app.js's
 * `runAction`, which refreshes the detail and the list) and the receivers
 * panel. `current()` is the order shown.
 */
export function wireSharing(runAction, current) {
  $('return-form').addEventListener('submit', ev => {
    ev.preventDefault()
    const f = $('return-form').elements
    const options = {
      trade_no: f.trade_no.value.trim(), appid: f.appid.value.trim(), refund_no: f.refund_no.value.trim(),
      type: f.type.value, account: f.account.value.trim(), amount: numberOrText(f.amount.value), description: f.description.value.trim(),
    }
    const box = $('return-result')
    runAction($('return-submit'), box, () => new BaaS.wechat.profitSharing.Order().refund(options), res => {
      const r = res.data || {}
      showBox(box, 'success', '回退成功',
        `回退 ${r.amount} 分（${r.account}），回退单号 ${r.refund_no}，微信回退单号 ${r.wechat_refund_no || '—'}；现在可以退款了（若已全部回退）。`,
        resultDetails(r))
    })
  })
  $('finish-form').addEventListener('submit', ev => {
    ev.preventDefault()
    const options = {
      trade_no: current().trade_no,
      appid: $('wechat-share-form').elements.appid.value.trim(),
      description: $('finish-form').elements.description.value.trim(),
    }
    const box = $('finish-result')
    runAction($('finish-submit'), box, () => new BaaS.wechat.profitSharing.Order().finish(options), res => {
      const r = res.data || {}
      showBox(box, 'success', '完结分账成功', `订单 ${r.trade_no} 已完结分账，不能再分账。`, resultDetails(r))
    })
  })
  $('rcv-wx-form').addEventListener('submit', ev => {
    ev.preventDefault()
    wechatReceiver(false)
  })
  $('rcv-wx-remove').addEventListener('click', () => wechatReceiver(true))
  $('rcv-ali-form').addEventListener('submit', ev => {
    ev.preventDefault()
    alipayReceiver(false)
  })
  $('rcv-ali-remove').addEventListener('click', () => alipayReceiver(true))
  $('rcv-ali-query').addEventListener('click', queryAlipayReceivers)
}
