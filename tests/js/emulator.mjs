// The emulator's test controls (with its control token) and the credentials xtask passes in.
import assert from 'node:assert/strict'

export const URL_ = process.env.BAAS_EMULATOR_URL
export const CLIENT_ID = process.env.BAAS_CLIENT_ID || 'demo-client-id'
export const ADMIN_TOKEN = process.env.BAAS_ADMIN_TOKEN || 'demo-admin-token'
export const USER_TOKEN = process.env.BAAS_USER_TOKEN || 'demo-user-token'
assert.ok(URL_, 'BAAS_EMULATOR_URL must point at a running baas-emulator (cargo xtask test sets it)')
export const EMULATOR = URL_.replace(/\/$/, '')
const CONTROL_TOKEN = process.env.BAAS_EMULATOR_CONTROL_TOKEN
assert.ok(CONTROL_TOKEN, 'BAAS_EMULATOR_CONTROL_TOKEN must be the emulator\'s control token (cargo xtask test sets it)')

// The API paths, from the SDK core's one table (src/endpoints.rs; cargo xtask test passes it).
assert.ok(process.env.BAAS_PATHS, 'BAAS_PATHS must hold the endpoint table as JSON (cargo xtask test sets it)')
const TABLE = JSON.parse(process.env.BAAS_PATHS)
export const PATHS = { ...TABLE, order: id => TABLE.order.replace(':transactionID', id) }

async function control(method, path, body) {
  const res = await fetch(EMULATOR + '/__emulator/' + path, {
    method,
    headers: { 'x-emulator-token': CONTROL_TOKEN, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  assert.ok(res.ok, `emulator control ${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : null
}

/** Restore the initial data; clear recorded requests and faults. */
export const reset = () => control('POST', 'reset')
/** Every request the emulator recorded since the last clear: {method, path, query, headers, body}. */
export const requests = async () => (await control('GET', 'requests')).requests
export const clearRequests = () => control('DELETE', 'requests')
/** Inject a fault for the next `count` matching requests. */
export const fault = spec => control('POST', 'faults', { count: 1, ...spec })

/** Fixture orders (always present; paid, user 1, unrefunded). */
export const FIXTURES = {
  orderId: 29973, // WeChat, 398.00
  sharedNo: '1gAtaEFcmu6DyHm5b0ycBSmNO302NGzA', // trade_no of WeChat 120.00, transaction_no of Alipay 88.00
  tradeNo: '1gCeU9ZKQQAA8iQgUM0lWhEbnqr89Qtxxx',
  transactionNo: 'v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw',
  wxShare1: 'wxshare0000000000000000000000001',
  wxShare2: 'wxshare0000000000000000000000002',
  aliShare: 'alishare000000000000000000000001',
  pending: 'pending000000000000000000000001',
  wechatMerchant: '1900000109',
  wechatOpenid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  alipayUserId: '2088101126765726',
  alipayLogin: 'receiver@example.com',
  appid: 'wx3b040d33346exxxx',
}

/** Asserts `promise` rejects with an HError of `code`; returns the error. */
export async function rejectsHError(promise, code, HError, message) {
  let err
  await assert.rejects(promise, e => {
    err = e
    return true
  })
  checkHError(err, code, HError, message)
  return err
}

/** Asserts `fn` throws synchronously an HError of `code`; returns the error. */
export function throwsHError(fn, code, HError, message) {
  let err
  assert.throws(fn, e => {
    err = e
    return true
  })
  checkHError(err, code, HError, message)
  return err
}

function checkHError(err, code, HError, message) {
  assert.ok(err instanceof Error, `expected an Error, got ${String(err)}`)
  if (HError) assert.ok(err instanceof HError, `expected a BaaS.HError, got ${err && err.name}: ${err && err.message}`)
  assert.equal(err.code, code, `expected HError ${code}, got ${err.code}: ${err.message}`)
  assert.equal(typeof err.message, 'string')
  assert.ok(err.message.startsWith(`${code}: `), `message should start with "${code}: ": ${err.message}`)
  if (message !== undefined) {
    if (message instanceof RegExp) assert.match(err.message, message)
    else assert.ok(err.message.includes(message), `message should name ${message}: ${err.message}`)
  }
}
