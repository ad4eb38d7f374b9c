
const BaaS = createBaaS(async () => {
  const glue = await import('./baas_order.js')
  const bytes = require('fs').readFileSync(require('path').join(__dirname, 'baas_order_bg.wasm'))
  await glue.default({ module_or_path: bytes })
  return glue
}, () => (typeof process === 'object' && process.versions && process.versions.node ? 'NODE' : 'WEB'))

module.exports = { BaaS, default: BaaS, Order: BaaS.Order, HError: BaaS.HError }
