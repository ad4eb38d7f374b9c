// BaaS.Query: minapp-sdk's query builder. The shell records the calls and
// keeps minapp-sdk's `queryObject`; the Rust core checks each call and
// writes its conditions (src/order/baas_query.rs: 605 naming the field, 611
// for minapp-sdk's operators that no order field has). The conditions go to
// the object's `$and`, and Query.and / Query.or hold the joined queries'
// objects themselves (a condition added to one later is in the join), as in
// minapp-sdk; order.setQuery keeps the core's copy, sent as `where`.
// Once the wasm is loaded a call is checked at once (a refused one throws and
// leaves the query as it was); while it loads, calls are only recorded, and
// run in order as soon as it is there, or when the query is used (a method,
// a join, or the list call of a setQuery: that rejects with the 605).

import { QUERY_METHODS } from './tables.js'

/**
 * @param sync (fn) => fn(), anything it throws made an HError
 * @param exports () => the wasm's exports, or null while there are none
 * @param dead () => truthy once the wasm will not come (611, a failed load):
 *   a call made then stays recorded on its query only
 * @returns `Query` (BaaS.Query); `where(query)`, what order.setQuery hands
 *   to the wasm's checkQuery: the query's object, or while the wasm loads a
 *   function giving the core's copy of it when the list call runs; and
 *   `settle()`, which runs the calls recorded while the wasm loaded
 */
export function makeQuery(sync, exports, dead) {
  class Query {
    constructor() {
      this.queryObject = {}
    }

    static and(...queries) {
      return add(new Query(), 'and', queries)
    }

    static or(...queries) {
      return add(new Query(), 'or', queries)
    }
  }
  // The object of a BaaS.Query (the core refuses anything else).
  const objectOf = q => (q instanceof Query ? q.queryObject : undefined)
  // The queries holding recorded calls, while the wasm may still come (none kept after that).
  const recorded = []
  // Call `m` of query `q` through the core; a join first runs the calls recorded on the queries it joins.
  const run = (q, m, args) => {
    if (m == 'and' || m == 'or') {
      args.map(flush)
      const objects = args.map(objectOf)
      exports().checkQuery('Query.' + m, objects)
      q.queryObject = { ['$' + m]: objects }
    } else {
      const conditions = exports().checkQuery('Query.' + m, args)
      if (conditions.length) (q.queryObject.$and ||= []).push(...conditions)
    }
  }
  // Runs the calls recorded on `q`, in order; a refused one stays (and is refused again at the next use).
  const flush = q => {
    if (q instanceof Query) for (const todo = q._todo || []; todo.length; todo.shift()) run(q, ...todo[0])
  }
  const add = (q, m, args) =>
    sync(() => {
      if (exports()) flush(q), run(q, m, args)
      else if ((q._todo ||= []).push([m, args]) == 1 && !dead()) recorded.push(q)
      return q
    })
  for (const m of QUERY_METHODS) {
    Query.prototype[m] = function (...args) {
      return add(this, m, args)
    }
  }
  const where = q => {
    if (exports()) return sync(() => (flush(q), objectOf(q)))
    let copy
    return () => (copy ||= exports().checkQuery('setQuery', (flush(q), objectOf(q))))
  }
  // Runs the recorded calls once the wasm is there; after a failed load only forgets the list
  // (each query keeps its own calls, run at its next use should a later init load the wasm).
  const settle = () => {
    for (const q of recorded.splice(0)) {
      try {
        if (exports()) flush(q)
      } catch {}
    }
  }
  return { Query, where, settle }
}
