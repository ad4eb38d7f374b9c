// `cargo xtask bench`: the emulator's time for the largest list queries at
// 5,000 orders (the SDK's own maximum once took 7-9 s). Not a
// test: it asserts only that the queries answer 200 with the whole page, and
// prints medians and p95s.
//   - the SDK's maximum: a BaaS.Query of 100 conditions (its array cap), limit 1000,
//     sent through the SDK and as the same raw request;
//   - the emulator's bound: 999 conditions in one $and (1,000 where terms), raw.
// BENCH_EMULATOR_N sets the runs of each (default 20).
import { performance } from 'node:perf_hooks'
import { EMU, CLIENT_ID, TOKEN, HEADERS as headers, importPackage, stats } from './common.mjs'

const { BaaS } = await importPackage()
const PATHS = JSON.parse(process.env.BAAS_PATHS)
const N = Number(process.env.BENCH_EMULATOR_N || 20)

const ms = x => (x.toFixed(1) + ' ms').padStart(12)

/** Times `fn` n times after one warm-up; each run must answer the full page. */
async function time(n, fn) {
  const check = count => {
    if (count !== 1000) throw new Error(`expected a page of 1000 orders, got ${count}`)
  }
  check(await fn())
  const xs = []
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    check(await fn())
    xs.push(performance.now() - t)
  }
  return stats(xs)
}

// Conditions true of every order, over several fields and operators.
const TRUE = [
  ['id', '>=', 0],
  ['total_cost', '>=', 0],
  ['trade_no', '!=', 'x'],
  ['created_by_id', '>', 0],
  ['status', '!=', 'closed'],
]
const conditions = n => Array.from({ length: n }, (_, i) => TRUE[i % TRUE.length])

await BaaS.init(CLIENT_ID, { host: EMU, token: TOKEN })
const query = new BaaS.Query()
for (const [k, op, v] of conditions(100)) query.compare(k, op, v)
const order = new BaaS.Order()
const viaSdk = async () => (await order.limit(1000).setQuery(query).getOrderList()).data.objects.length
const raw = where => async () => {
  const url = `${EMU}${PATHS.orderList}?limit=1000&offset=0&where=${encodeURIComponent(JSON.stringify(where))}`
  const res = await fetch(url, { headers })
  if (res.status !== 200) throw new Error(`${res.status}: ${(await res.text()).slice(0, 200)}`)
  return (await res.json()).objects.length
}
const whereOf = n => ({ $and: conditions(n).map(([k, op, v]) => ({ [k]: { [{ '>=': '$gte', '>': '$gt', '!=': '$ne' }[op]]: v } })) })

console.log(`\nemulator: the largest list queries at 5,000 orders (n=${N} each, median and p95)`)
for (const [name, fn] of [
  ['SDK maximum (100 conditions, limit 1000), raw', raw(query.queryObject)],
  ['SDK maximum (100 conditions, limit 1000), via the SDK', viaSdk],
  ["emulator's bound (999 conditions, limit 1000), raw", raw(whereOf(999))],
]) {
  const s = await time(N, fn)
  console.log(name.padEnd(56) + ms(s.median) + ms(s.p95))
}
