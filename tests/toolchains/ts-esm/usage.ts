// A TypeScript ESM project ("type": "module", module nodenext) importing the
// package: tsc must take index.d.ts (the `import` condition). Each
// line marked to expect an error fails the check if the types resolve to `any`.
import DefaultBaaS, { BaaS, HError, Order, type InitOptions, type OrderList, type Response } from 'baas-order'

export async function listAndRefuse(host: string, token: string): Promise<number> {
  const options: InitOptions = { host, token, timeout: 5000 }
  await BaaS.init('demo-client-id', options)
  const order: Order = new DefaultBaaS.Order()
  const res: Response<OrderList> = await order.limit(5).getOrderList({ status: 'success' })
  // @ts-expect-error: a refund takes an object, not a number
  await BaaS.refund(42)
  // @ts-expect-error: no such order status
  await new BaaS.Order().getOrderList({ status: 'lost' })
  try {
    await BaaS.refund({ order_id: res.data.objects[0].id, refund_amount: -1 })
  } catch (e) {
    if (e instanceof HError) return e.code
  }
  return res.data.meta.total_count
}
