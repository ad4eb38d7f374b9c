// Node ESM: `import` the package by its name.
import { BaaS } from 'baas-order'
import { run, describe } from '../app/check.js'

const config = JSON.parse(process.env.APP_CONFIG)
const result = await run(BaaS, config)
console.log(JSON.stringify({ entry: import.meta.resolve('baas-order'), line: describe(result), result }))
