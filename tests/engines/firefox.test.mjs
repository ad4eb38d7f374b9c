// The packed package in Firefox ESR, SpiderMonkey (see browser-cases.mjs for the cases and
// browsers.mjs for how the browser is driven).
import { browserTests } from './browser-cases.mjs'
import { firefox } from './browsers.mjs'

browserTests(firefox)
