// The request seam, JS half: moves a request the wasm built and its answer
// back. Every decision (what a status, a body, a failure means; the token
// policy; nothing retried) is the wasm's `reply`.
//
// The kinds of `reply(ticket, answer, kind)`, named in the Rust core.
// The reply kinds, by the core's names (src/response.rs REPLY_*). Written
// here, not imported from the generated tables.js: the wasm tests load this
// file alone, as a wasm-bindgen snippet, where no tables.js is beside it.
// xtask's tables tests check each value against the core.
const REPLY_ANSWER = 0
const REPLY_FAILURE = 1
const REPLY_UNSENT = 2

// `makeSend(reply)` gives the `send(url, method, headers, body, timeout,
// signal, ticket, request)` the wasm calls (the parts as arguments: each
// property the wasm set on an object would be one more call across the
// boundary). It makes `req` = { url, method, headers, body?, timeout,
// signal? } (`headers` a copy of the wasm's object, which it reuses while the
// headers stay the same), sends it through `request` (a host request
// function: the mini-program adapter or the user's `request` option,
// ({...req}) => Promise<{ status, headers, text }>) or, when that is
// undefined, through the package's `fetch` adapter below, and returns the
// Promise of `reply(ticket, answer, REPLY_ANSWER)`; when it failed, of
// `reply(ticket, why, REPLY_FAILURE)`, or `reply(ticket, why, REPLY_UNSENT)`
// for a failure this file made itself before `fetch` was called (`why` is
// then { noFetch } or { notSent }: only these may say "nothing was sent").
// `reply` returns the call's result or throws its HError. The shape is
// docs/architecture.md's ("The request seam"); tests/js/seam.test.mjs and
// xtask's tables.rs pin it against the Rust side.
export const makeSend = reply => (url, method, headers, body, timeout, signal, ticket, request) => {
  const req = { url, method, headers: { ...headers } }
  if (body !== undefined) req.body = body
  req.timeout = timeout
  if (signal !== undefined) req.signal = signal
  let sent, off
  try {
    sent = Promise.resolve((request || viaFetch)(req))
  } catch (e) {
    sent = Promise.reject(e)
  }
  // The caller's signal ends the call at once, whatever the transport does
  // (a host request function may not be able to cancel): the race rejects
  // with a value of ours, and `reply` reads the signal itself. A signal that
  // cannot be listened to never ends the race (the call then ends by the
  // transport's own answer or timeout).
  if (signal) {
    try {
      let abort
      const aborted = new Promise((_, no) => (abort = () => no(ABORTED)))
      // Raced first, so any rejection of `aborted` is handled.
      sent = Promise.race([sent, aborted])
      // Aborted while the request function ran: no event will come.
      const already = signal.aborted
      signal.addEventListener('abort', abort)
      off = () => signal.removeEventListener('abort', abort)
      if (already) abort()
    } catch {}
  }
  const done = (v, kind) => {
    try {
      off && off()
    } catch {}
    return reply(ticket, v, kind)
  }
  return sent.then(
    a => done(a, REPLY_ANSWER),
    e => done(e, OURS.has(e) ? REPLY_UNSENT : REPLY_FAILURE),
  )
}

// A short text for anything thrown (which may be a revoked Proxy or a Symbol).
export const text = e => {
  try {
    return '' + ((e && (e.errMsg || e.errorMessage || e.message)) || e)
  } catch {
    return '?'
  }
}

// A body as the text the wasm parses: a string as it is; bytes (an
// ArrayBuffer or a view of one: wx.request answers so when the runtime
// ignores `responseType: 'text'`) decoded as UTF-8 by hand, since
// mini-programs have no TextDecoder (`decodeURIComponent` refuses what is not
// UTF-8); none, or bytes that are not UTF-8, an empty text (the wasm's
// malformed-body HError); anything else a runtime parsed already, as JSON.
const bodyText = d => {
  if (typeof d == 'string') return d
  if (d == null) return ''
  // (`instanceof` would miss another realm's ArrayBuffer.)
  if (ArrayBuffer.isView(d) || Object.prototype.toString.call(d) == '[object ArrayBuffer]') {
    let s = ''
    for (const c of new Uint8Array(d.buffer || d, d.byteOffset, d.byteLength)) s += '%' + (c < 16 ? '0' : '') + c.toString(16)
    try {
      return decodeURIComponent(s)
    } catch {
      return ''
    }
  }
  return JSON.stringify(d)
}

// The request seam of a callback-style request function (wx.request,
// my.request, the `request` option): `start(answer, fail, on)` hands the
// request over; `answer(r)` resolves `{ status, headers, text }` from a
// wx-style `{ statusCode, header, data }` or an Alipay-style `{ status,
// headers, data }` (`data` read by `bodyText`); `fail(errMsg, timeout)`
// rejects `{ errMsg, timeout }`; `on(fn)` wraps a callback so that a throw in
// it is a failure. The SDK's own timer rejects with a timeout after
// `req.timeout` ms whether or not the runtime honours its `timeout` option.
// It settles once, at the first of answer, failure, timeout or the caller's
// signal (send.js races that one and reports it; here it clears the timer, so
// a transport that never answers keeps no process alive), and then the timer
// and the listener are gone. Every failure here leaves the outcome unknown:
// the request may have gone out.
export const withTimer = (req, start) =>
  new Promise((resolve, reject) => {
    const signal = req.signal
    const end = () => {
      clearTimeout(timer)
      try {
        signal && signal.removeEventListener('abort', abort)
      } catch {}
    }
    const fail = (msg, timeout) => (end(), reject({ errMsg: msg, timeout }))
    const abort = () => fail('request:fail aborted')
    const timer = setTimeout(() => fail('request:fail timeout', true), req.timeout)
    const on = fn => r => {
      try {
        fn(r)
      } catch (e) {
        fail('request:fail ' + text(e))
      }
    }
    const answer = on(r => {
      const a = { status: r.statusCode || r.status, headers: r.header || r.headers || {}, text: bodyText(r.data) }
      end()
      resolve(a)
    })
    try {
      signal && signal.addEventListener('abort', abort)
    } catch {}
    try {
      start(answer, fail, on)
    } catch (e) {
      fail('request:fail ' + text(e))
    }
  })

// The failures this file makes itself (a WeakSet: asking it about any value,
// even a revoked Proxy, cannot throw).
const OURS = new WeakSet()
const ours = why => (OURS.add(why), why)
const ABORTED = { aborted: true }

// `fetch` with the request's timeout (headers and body both count) and no
// redirect followed: a refund POSTed again to a new location could move money
// twice, and the token goes to no other URL; a 3xx is the wasm's HError, a
// browser's opaque redirect (status 0) a failure. Credentials and cache mode
// stay the defaults, as with minapp-sdk's XHR: `credentials: 'omit'` timed
// the same, and with `cache: 'no-store'` Chromium sends a CORS preflight
// before every request to another origin (README, Speed). Rejects with
// `{ noFetch }` or `{ notSent }` before `fetch` is called, with `{ timeout: true }` when the
// timeout fired (whether or not `fetch` heeded its signal), else with what
// `fetch` threw (the outcome is then unknown).
async function viaFetch(req) {
  if (typeof fetch != 'function' || typeof Response != 'function' || typeof AbortController != 'function') {
    throw ours({ noFetch: true })
  }
  let signal, timer, expire, listened
  try {
    // Where the runtime has `AbortSignal.timeout` (Chromium 103, Firefox
    // 100, Safari 16, Node 17.3), shared (below); a patched one answering
    // anything but an object with `addEventListener` falls back to a
    // controller and a timer.
    signal = typeof AbortSignal == 'function' && AbortSignal.timeout && timeoutSignal(req.timeout)
  } catch {}
  // The SDK's own timer ends the call even when `fetch` ignores its signal
  // (a wrapper that rebuilds init, an old polyfill): `fetch` and the body
  // are raced with it. (Handled here: a rejection nobody awaits must not surface.)
  const expired = new Promise((_, no) => (expire = () => no({ timeout: true })))
  expired.catch(() => {})
  try {
    if (signal && typeof signal == 'object' && typeof signal.addEventListener == 'function') {
      signal.addEventListener('abort', expire)
      listened = signal
      if (signal.aborted) expire()
    } else {
      const c = new AbortController()
      signal = c.signal
      timer = setTimeout(() => (c.abort(), expire()), req.timeout)
    }
  } catch (e) {
    throw ours({ notSent: e })
  }
  const timed = p => Promise.race([p, expired])
  try {
    // The caller's signal cancels the fetch too, where the runtime can join two signals.
    // (A polyfilled signal is no AbortSignal to Chromium's `any`: then only the race ends the call.)
    try {
      if (req.signal && AbortSignal.any) signal = AbortSignal.any([signal, req.signal])
    } catch {}
    const r = await timed(fetch(req.url, { method: req.method, headers: req.headers, body: req.body, signal, redirect: 'manual' }))
    if (!(r instanceof Response)) throw 'fetch answered with something that is not a Response'
    if (!r.status) throw 'redirected; the SDK follows no redirect'
    return { status: r.status, headers: Object.fromEntries(r.headers), text: await timed(r.text()) }
  } catch (e) {
    // A patched `aborted` getter that throws is no timeout.
    let timedOut = false
    try {
      timedOut = !!signal.aborted
    } catch {}
    throw timedOut ? { timeout: true } : e
  } finally {
    clearTimeout(timer)
    try {
      listened && listened.removeEventListener('abort', expire)
    } catch {}
  }
}

// One timeout signal for the requests begun within `slack` ms of each other
// with the same timeout: each `AbortSignal.timeout` is a timer that lives
// until it fires, and making one was the largest cost of a request before
// `fetch` (3 µs hot, 15-20 µs in a page between calls). It fires `slack` ms
// late, so no request times out before its own timeout has passed: each gets
// between `ms` and `ms + slack` (slack 1% of the timeout, at most 100 ms;
// none under 100 ms, nor past the 2^31 - 1 ms a timer can wait). The window
// is timed on the monotonic clock (`performance.now`) where there is one: a
// wall clock set back could otherwise hand a new request a signal about to
// fire. A new one is made once the last has fired or the clock went back.
let shared = null
const clock = () => (typeof performance == 'object' && performance && typeof performance.now == 'function' ? performance.now() : Date.now())
function timeoutSignal(ms) {
  const now = clock()
  const s = shared
  if (s && s.ms === ms && now >= s.at && now < s.at + s.slack && !s.signal.aborted) return s.signal
  const slack = Math.max(0, Math.min(100, Math.floor(ms / 100), 2147483647 - ms))
  const signal = AbortSignal.timeout(ms + slack)
  shared = { ms, at: now, slack, signal }
  return signal
}
