// What every bench script shares: the environment `cargo xtask bench` sets
// (the emulator, its credentials and control token, the built package), the
// fixture order the calls use, the emulator's test controls, and the
// statistics and number formats of the tables.
import path from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '..', 'package.json'))

export const PKG = process.env.BAAS_PACKAGE_DIR || path.join(here, '..', '..', 'target', 'npm', 'baas-order')
export const MINAPP_JS = require.resolve('minapp-sdk/lib/web.js')
export const EMU = process.env.BAAS_EMULATOR_URL.replace(/\/$/, '')
export const CLIENT_ID = process.env.BAAS_CLIENT_ID
export const TOKEN = process.env.BAAS_ADMIN_TOKEN
export const CONTROL_TOKEN = process.env.BAAS_EMULATOR_CONTROL_TOKEN
export const QUICK = process.env.BAAS_BENCH_QUICK === '1'
/** The headers of a raw request as the SDK sends them (client ID and the admin token). */
export const HEADERS = { 'X-Hydrogen-Client-ID': CLIENT_ID, Authorization: `Hydrogen-r1 ${TOKEN}` }
/** A fixture order's transaction_no. */
export const TX = 'v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw'
/** A fixture order of 398.00: room for 39,800 such refunds. */
export const REFUND = { order_id: 29973, refund_amount: 0.01 }

/** The built package's ESM entry, imported into this Node process. */
export const importPackage = () => import(pathToFileURL(path.join(PKG, 'index.js')).href)

/** The emulator's test controls, with the control token when xtask set one. */
export async function control(method, what) {
  const headers = CONTROL_TOKEN ? { 'X-Emulator-Token': CONTROL_TOKEN } : {}
  const res = await fetch(`${EMU}/__emulator/${what}`, { method, headers })
  if (!res.ok) throw new Error(`emulator control ${method} ${what}: ${res.status}`)
  const text = await res.text()
  return text ? JSON.parse(text) : null
}

const quantile = (s, q) => s[Math.min(s.length - 1, Math.floor(q * s.length))]
/** Count, median, quartiles and p95 of a list of times. */
export function stats(xs) {
  const s = [...xs].sort((a, b) => a - b)
  return { n: s.length, median: quantile(s, 0.5), p25: quantile(s, 0.25), p75: quantile(s, 0.75), p95: quantile(s, 0.95) }
}
/** A time in ms with three significant-ish digits. */
export const fmt = x => (x >= 100 ? x.toFixed(1) : x >= 10 ? x.toFixed(2) : x.toFixed(3))
/** A table cell: `median (p25–p75)`, or a dash when there is nothing. */
export const cell = st => (st && st.n ? `${fmt(st.median)} (${fmt(st.p25)}–${fmt(st.p75)})` : '—')
