// What every toolchain app does, whatever built it: list orders from the
// emulator, then make a call the SDK refuses (HError 605) before sending it.
// `BaaS` is passed in so each app imports or requires the package its own way.

/** Runs the two calls; resolves with what they gave. */
export async function run(BaaS, { emulator, clientID, token }) {
  await BaaS.init(clientID, { host: emulator, token })
  const res = await new BaaS.Order().limit(5).orderBy('-created_at').getOrderList()
  let refused = null
  try {
    await BaaS.refund({ order_id: 29973, refund_amount: -1 })
  } catch (e) {
    refused = e
  }
  return {
    status: res.status,
    listed: res.data.objects.length,
    total: res.data.meta.total_count,
    ids: res.data.objects.map(o => o.id),
    refused: refused && { code: refused.code, message: refused.message, isHError: refused instanceof BaaS.HError },
  }
}

/** The line the app prints. */
export function describe(r) {
  const refused = r.refused ? `${r.refused.isHError ? 'HError' : 'Error'} ${r.refused.message}` : 'not refused'
  return `listed ${r.listed} of ${r.total} orders (HTTP ${r.status}); refund_amount -1 -> ${refused}`
}
