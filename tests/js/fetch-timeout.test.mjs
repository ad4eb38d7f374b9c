// The fetch transport: what it asks of `fetch`, and its timeout both ways:
// `AbortSignal.timeout` where the runtime has it, else an AbortController and
// a timer (older browsers).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { importESM } from './install.mjs'
import { EMULATOR, CLIENT_ID, ADMIN_TOKEN, PATHS, FIXTURES, reset, fault, rejectsHError } from './emulator.mjs'

const { BaaS } = await importESM()
const initAdmin = options => BaaS.init(CLIENT_ID, { host: EMULATOR, token: ADMIN_TOKEN, ...options })
const listOk = async () => assert.equal((await new BaaS.Order().limit(1).getOrderList()).status, 200)

test('fetch is asked to follow no redirect, with the default credentials and cache mode', async () => {
  await reset()
  await initAdmin()
  const real = globalThis.fetch
  const inits = []
  globalThis.fetch = (url, init) => (inits.push(init), real(url, init))
  try {
    await listOk()
    await BaaS.refund({ order_id: FIXTURES.orderId, refund_amount: 0.01 })
  } finally {
    globalThis.fetch = real
  }
  assert.equal(inits.length, 2)
  for (const init of inits) {
    assert.equal(init.redirect, 'manual')
    // Cookies as minapp-sdk's XHR sends them (same origin only).
    assert.equal(init.credentials, undefined)
    // 'no-store' (or 'reload', 'no-cache') would make Chromium send a CORS preflight before every request.
    assert.equal(init.cache, undefined)
  }
  assert.deepEqual(inits.map(i => i.method), ['GET', 'POST'])
})

test('a fetch wrapper that writes into init.headers changes no later request', async () => {
  await reset()
  await initAdmin()
  const real = globalThis.fetch
  const seen = []
  globalThis.fetch = (url, init) => {
    seen.push({ ...init.headers })
    init.headers['X-Leak'] = 'yes'
    return real(url, init)
  }
  try {
    await listOk()
    await listOk()
  } finally {
    globalThis.fetch = real
  }
  assert.equal(seen.length, 2)
  assert.equal(seen[1]['X-Leak'], undefined)
  assert.deepEqual(seen[1], seen[0])
})

/**
 * A fresh emulator and `init` with `timeout`, then `body(timeouts)` with
 * `AbortSignal.timeout` patched to record each call (`timeouts.asked()` the
 * ms it was asked for, `timeouts.made()` the signals it answered), put back
 * afterwards whatever happened. Answers the recorder.
 */
async function withRecordedTimeouts(timeout, body) {
  await reset()
  await initAdmin({ timeout })
  const timeouts = recordTimeouts()
  try {
    await body(timeouts)
  } finally {
    timeouts.restore()
  }
  return timeouts
}

function recordTimeouts() {
  const real = AbortSignal.timeout
  const calls = []
  AbortSignal.timeout = ms => {
    const signal = real.call(AbortSignal, ms)
    calls.push([ms, signal])
    return signal
  }
  return {
    asked: () => calls.map(([ms]) => ms),
    made: () => calls.map(([, signal]) => signal),
    restore: () => (AbortSignal.timeout = real),
  }
}

test('the timeout comes from AbortSignal.timeout(options.timeout) where the runtime has it', async () => {
  await withRecordedTimeouts(300, async timeouts => {
    await listOk()
    // 1% late (3 ms here): shared by the requests begun within that time (below).
    assert.deepEqual(timeouts.asked(), [303])
    await fault({ kind: 'delay', delay_ms: 1500, path_prefix: PATHS.orderList })
    const t = Date.now()
    await rejectsHError(new BaaS.Order().getOrderList(), 601, BaaS.HError)
    // Never before its own timeout.
    assert.ok(Date.now() - t >= 300, `timed out after ${Date.now() - t} ms`)
  })
  await listOk()
})

test('one AbortSignal.timeout serves the requests begun within 1% of the timeout (at most 100 ms) of each other', async () => {
  const real = { now: performance.now, date: Date.now }
  // The window is timed on the monotonic clock.
  let now = 1_000_000
  try {
    await withRecordedTimeouts(10000, async timeouts => {
      performance.now = () => now
      await listOk()
      now += 99 // within the slack of the first: the same signal
      Date.now = () => real.date() - 3_600_000 // the wall clock set back an hour changes nothing
      await listOk()
      assert.deepEqual(timeouts.asked(), [10100])
      now += 1 // 100 ms after the first: a new one
      await listOk()
      now -= 500 // the clock went back: a new one
      await listOk()
      await initAdmin({ timeout: 5000 }) // another timeout: its own
      await listOk()
      assert.deepEqual(timeouts.asked(), [10100, 10100, 10100, 5050])
      assert.equal(new Set(timeouts.made()).size, 4)
    })
  } finally {
    performance.now = real.now
    Date.now = real.date
  }
})

test('the largest timeout init takes (2^31 - 1 ms) gets no slack past what a timer can wait', async () => {
  const timeouts = await withRecordedTimeouts(2147483647, async () => {
    // Past 2^31 - 1 Node's timer overflows and fires at once: a 601 here.
    await listOk()
    await listOk()
  })
  const asked = timeouts.asked()
  assert.ok(asked.length >= 1 && asked.every(ms => ms === 2147483647), `asked for ${asked}`)
})

test('without AbortSignal.timeout the SDK aborts with its own timer: 601, and the next call works', async () => {
  await reset()
  await initAdmin({ timeout: 300 })
  const real = AbortSignal.timeout
  delete AbortSignal.timeout
  try {
    assert.equal(AbortSignal.timeout, undefined)
    await listOk()
    await fault({ kind: 'delay', delay_ms: 1500, path_prefix: PATHS.orderList })
    // The server answers after 1,500 ms, so a 601 can only come from the 300 ms timer.
    await rejectsHError(new BaaS.Order().getOrderList(), 601, BaaS.HError)
    await listOk()
  } finally {
    AbortSignal.timeout = real
  }
})

test('a patched AbortSignal.timeout that answers no signal falls back to the timer: 601, no hang', async () => {
  await reset()
  await initAdmin({ timeout: 300 })
  const real = AbortSignal.timeout
  AbortSignal.timeout = () => undefined
  try {
    await listOk()
    await fault({ kind: 'delay', delay_ms: 1500, path_prefix: PATHS.orderList })
    await rejectsHError(new BaaS.Order().getOrderList(), 601, BaaS.HError)
  } finally {
    AbortSignal.timeout = real
  }
  await listOk()
})
