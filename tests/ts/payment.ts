// The payment calls' types (tsc --noEmit --strict, no DOM): gateway types are
// unions, each call's options and results are typed, and what the core
// refuses does not compile where a type can say so.
import { BaaS, type CreatedOrder, type BridgeResult, type MiniProgramPayResult, type Response, type PaymentOrder } from 'baas-order'

export async function web(): Promise<void> {
  const native: Response<CreatedOrder> = await BaaS.payment.payWithWechat({ gatewayType: 'weixin_tenpay_native', totalCost: 0.1, merchandiseDescription: '深蓝色秋裤', profitSharing: true })
  const url: string | undefined = native.data.code_url
  const js: BridgeResult = await BaaS.payment.payWithWechat({ gatewayType: 'weixin_tenpay_js', totalCost: '15', merchandiseDescription: '会员' })
  const ok: 'get_brand_wcpay_request:ok' = js.err_msg
  await BaaS.payment.payWithAlipay({ gatewayType: 'alipay_wap', totalCost: { toJSON: () => '15.50' }, merchandiseDescription: 'd', merchandiseSnapshot: { a: 1 } }, { timeout: 5000 })
  await BaaS.payment.payWithQQ({ gatewayType: 'qpay_native', totalCost: 1, merchandiseDescription: 'd', merchandiseSchemaID: 1, merchandiseRecordID: 'r' })
  // @ts-expect-error: payWithAlipay takes no WeChat gateway
  await BaaS.payment.payWithAlipay({ gatewayType: 'weixin_tenpay_native', totalCost: 1, merchandiseDescription: 'd' })
  // @ts-expect-error: profitSharing is WeChat's only
  await BaaS.payment.payWithQQ({ gatewayType: 'qpay_native', totalCost: 1, merchandiseDescription: 'd', profitSharing: true })
  // @ts-expect-error: not a gateway of any call
  await BaaS.payment.payWithWechat({ gatewayType: 'weixin_tenpay', totalCost: 1, merchandiseDescription: 'd' })
  const paid: Response<PaymentOrder> = await new BaaS.Order().waitForPayment(native.data.transaction_no, { timeout: 60000, interval: 1000 })
  const again: Response<PaymentOrder> = await BaaS.order({ transactionID: paid.data.transaction_no })
  const list = await BaaS.getOrderList({ status: 'success', limit: 10 })
  void [url, ok, again, list.data.objects.length]
}

export async function miniProgram(): Promise<void> {
  const res: MiniProgramPayResult = await BaaS.pay({ totalCost: 0.1, merchandiseDescription: '深蓝色秋裤' }, o => void o.trade_no.length)
  if (res.errMsg == 'requestPayment:ok') void res.transaction_no
  try {
    await BaaS.pay({ totalCost: '2', merchandiseDescription: 'd' })
  } catch (e) {
    if (e instanceof BaaS.HError && (e.code === 607 || e.code === 608)) void [e.resultCode, e.data]
  }
}
