// The packed package in WebKitGTK's MiniBrowser, JavaScriptCore (see browser-cases.mjs for the cases and
// browsers.mjs for how the browser is driven).
import { browserTests } from './browser-cases.mjs'
import { webkit } from './browsers.mjs'

browserTests(webkit)
