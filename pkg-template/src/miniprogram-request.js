// The mini-program runtimes as their documentation describes them: the
// request function, its answers and failures, and where minapp-sdk keeps the
// token. Each adapter turns the runtime's request API into the SDK's request
// seam: ({ url, method, headers, body, timeout }) => Promise<{ status, headers, text }>,
// rejecting with { errMsg, timeout } when no usable answer came (the core
// makes that HError 601 when `timeout` is true, else 600, and says for a
// refund or sharing that its outcome is unknown).

import { withTimer } from './send.js'

const TOKEN_KEY = 'ifx_baas_auth_token'

/**
 * WeChat `wx.request`: the shell's wx-style adapter (`fromWxStyle` in
 * baas.js, also what the `request` option of `BaaS.init` goes through):
 * request `header`, `dataType` 'text' (no JSON.parse, the core parses),
 * `responseType` 'text'; success `{ data, statusCode, header }` for every
 * HTTP status; failure `{ errMsg }` ("request:fail timeout", ...), with the
 * SDK's own timer in case the runtime does not honour `timeout`.
 */
export { fromWxStyle as fromWechat } from './baas.js'

// my.request's documented failure codes.
const ALIPAY_FAILURES = {
  11: 'no cross-origin permission (is the host in the server domain whitelist?)',
  12: 'network error',
  13: 'timeout',
  14: 'the answer could not be decoded',
  19: 'HTTP error',
}

/**
 * Alipay `my.request`: request `headers`, `dataType` 'text'; success
 * `{ data, status, headers }`; failure `{ error, errorMessage }`. Error 19 is
 * an HTTP error that carries `status` (and, where the client gives them,
 * `headers` and `data`): it becomes an answer with that status, so the core
 * rejects with the status as code and the server's `error_msg`, as on the
 * web. 13 is a timeout (601); 11 (CORS / domain whitelist), 12 (network),
 * 14 (decoding) and anything else are 600.
 */
export const fromAlipay = request => req =>
  withTimer(req, (answer, fail, on) =>
    request({
      url: req.url,
      method: req.method,
      headers: req.headers,
      data: req.body,
      dataType: 'text',
      timeout: req.timeout,
      success: answer,
      fail: on(e => {
        const code = e && e.error
        if (code === 19 && typeof e.status === 'number') return answer(e)
        const what = ALIPAY_FAILURES[code] || 'request failed'
        const detail = e && e.errorMessage ? ': ' + e.errorMessage : ''
        fail(`my.request:fail ${code === undefined ? '' : 'error ' + code + ' '}${what}${detail}`, code === 13)
      }),
    }),
  )

/** The token minapp-sdk stored at login, or undefined: `wx.getStorageSync(key)`. */
export const wechatToken = wx => () => {
  try {
    const v = wx.getStorageSync(TOKEN_KEY)
    return typeof v === 'string' && v ? v : undefined
  } catch (e) {
    return undefined
  }
}

/** The same on Alipay: `my.getStorageSync({ key }).data`. */
export const alipayToken = my => () => {
  try {
    const r = my.getStorageSync({ key: TOKEN_KEY })
    const v = r && r.data
    return typeof v === 'string' && v ? v : undefined
  } catch (e) {
    return undefined
  }
}
