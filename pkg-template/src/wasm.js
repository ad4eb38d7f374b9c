// The wasm-bindgen glue, as the entries use it. Only the exports the shell
// calls are named, so the bundler drops the rest of the glue.
import initWasm, {
  init,
  setToken,
  clearToken,
  refund,
  getOrder,
  reply,
  checkQuery,
  getOrderList,
  call,
  getSharingList,
  redact,
  checkWait,
} from './baas_order.js'

export { initWasm }
export const glue = { init, setToken, clearToken, refund, getOrder, reply, checkQuery, getOrderList, call, getSharingList, redact, checkWait }
