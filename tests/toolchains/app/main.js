// The browser app every bundler builds (and the plain page loads as is).
import { BaaS } from 'baas-order'
import { run, describe } from './check.js'

const out = document.getElementById('out')
fetch('/config.json')
  .then(res => res.json())
  .then(config => run(BaaS, config))
  .then(
    result => {
      out.textContent = describe(result)
      window.__result = result
    },
    e => {
      out.textContent = `failed: ${e && e.message}`
      window.__result = { failed: String((e && e.stack) || e) }
    },
  )
