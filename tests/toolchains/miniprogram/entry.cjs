// The Alipay instructions' path: `require('baas-order/miniprogram/index.js')`.
// Outside a mini-program it loads (CommonJS) and BaaS.init says there is no
// mini-program runtime (HError 611); the test runs this in Node, and bundled
// by esbuild and by webpack.
const { BaaS } = require('baas-order/miniprogram/index.js')

BaaS.init('demo-client-id').then(
  () => console.log(JSON.stringify({ loaded: true, code: null })),
  e => console.log(JSON.stringify({ loaded: true, code: e.code, message: e.message, api: [typeof BaaS.Order, typeof BaaS.pay, typeof BaaS.refund] })),
)
