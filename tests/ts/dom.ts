// The package's types with the DOM library, as a web page compiles them:
// the DOM's own AbortSignal is a per-call `signal` (the .d.ts declares only
// the shape it reads, so usage.ts checks it without any DOM library).
import { BaaS, type CallOptions } from 'baas-order'

const ctl = new AbortController()
const options: CallOptions = { signal: ctl.signal, timeout: 1000 }
void new BaaS.Order().getOrderList({}, options)
void new BaaS.Order().get('v4WoZ7aNyZPaZbNlFffOZLvagUKqDcOw', { signal: AbortSignal.timeout(2000) })
void BaaS.refund({ order_id: 1 }, { signal: AbortSignal.abort('gone') })
