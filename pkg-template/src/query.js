// BaaS.Query: minapp-sdk's query builder with the operators that apply to
// order fields. It builds minapp-sdk's `queryObject` as minapp-sdk does
// (`{ $and: [{ key: { $op: value } }, …] }`, `$or` from Query.or), which
// order.setQuery hands to the wasm to send as `where`. Its argument checks
// live here, not in the Rust core: written in Rust they cost 1,478 B gzip of
// wasm, here 679 B of index.js with the class (README, "Design decisions").
// The wasm still reads the query within the input budget (src/limits.rs).

import { MAX_ARRAY } from './tables.js'

// compare's operators, and what minapp-sdk sends for them.
const OPS = { __proto__: null, '=': 'eq', '!=': 'ne', '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' }

// What an order field holds, so what compare and in take.
const SCALAR = 'a string, a finite number, a boolean or null'
const scalar = v => v === null || typeof v == 'string' || typeof v == 'boolean' || Number.isFinite(v)
// An array of scalars within the input budget's item cap, its length checked
// before any item is read (a sparse `new Array(2 ** 32 - 1)` must not be
// walked), a hole read as `undefined` (refused).
const scalars = a => Array.isArray(a) && a.length <= MAX_ARRAY && Array.from(a).every(scalar)
const LIST = 'an array of at most ' + MAX_ARRAY + ', each ' + SCALAR

/**
 * @param HError the SDK's HError class
 * @param sync (fn) => fn(), anything it throws made an HError
 * @returns `Query` (BaaS.Query) and `where(query)`, what order.setQuery keeps:
 *   a copy of the query's object as it is now (minapp-sdk copies it too), or
 *   0 for anything but a Query holding a query object (the wasm refuses
 *   it: 605 naming setQuery)
 */
export function makeQuery(HError, sync) {
  const fail = (field, why) => {
    throw new HError(605, field + ': ' + why, 0, field)
  }

  class Query {
    constructor() {
      this.queryObject = {}
    }

    static and(...queries) {
      return join('and', queries)
    }

    static or(...queries) {
      return join('or', queries)
    }
  }
  // The query object of a BaaS.Query, or undefined: `instanceof` alone is
  // no proof (`Object.create(Query.prototype)` passes it with no object,
  // which would be sent as null), so its `queryObject` must be an object too.
  const objectOf = q => {
    const o = q instanceof Query && q.queryObject
    return o && typeof o == 'object' && !Array.isArray(o) ? o : undefined
  }
  // Query.and / Query.or keep the queries' objects themselves, as minapp-sdk does.
  const join = (op, queries) =>
    sync(() => {
      const q = new Query()
      q.queryObject = { ['$' + op]: queries.map(x => objectOf(x) || fail('Query.' + op, 'takes BaaS.Query arguments')) }
      return q
    })

  // Defines the operator `m`: `conditions(...args)` gives its conditions
  // [key, op, value], or [key, 0, what it needs] for a refused value. Every
  // field name and value is checked before any condition is added (to
  // `$and`, as minapp-sdk's _addQueryObject does).
  const define = (m, conditions) => {
    Query.prototype[m] = function (...args) {
      return sync(() => {
        const list = conditions(...args)
        for (const [k] of list) (typeof k == 'string' && k) || fail('Query.' + m, 'needs a field name')
        for (const [k, op, v] of list) op || fail(k, m + ' needs ' + v)
        for (const [k, op, v] of list) (this.queryObject.$and ||= []).push({ [k]: { ['$' + op]: v } })
        return this
      })
    }
  }
  define('compare', (k, o, v) => [OPS[o] ? (scalar(v) ? [k, OPS[o], v] : [k, 0, SCALAR]) : [k, 0, 'an operator = != < <= > >=']])
  define('contains', (k, s) => [typeof s == 'string' && s ? [k, 'contains', s] : [k, 0, 'a non-empty string']])
  define('in', (k, a) => [scalars(a) ? [k, 'in', [...a]] : [k, 0, LIST]])
  define('notIn', (k, a) => [scalars(a) ? [k, 'nin', [...a]] : [k, 0, LIST]])
  // One field or an array of fields.
  for (const m of ['isNull', 'isNotNull', 'exists', 'notExists']) {
    define(m, k =>
      Array.isArray(k) && k.length > MAX_ARRAY
        ? fail('Query.' + m, 'takes at most ' + MAX_ARRAY + ' field names')
        : Array.from(Array.isArray(k) ? k : [k], k => [k, m[1] == 's' ? 'isnull' : 'exists', !/not/i.test(m)]),
    )
  }
  // minapp-sdk's operators on arrays, GeoJSON and object fields, and regexes: no order field has them.
  for (const m of ['matches', 'arrayContains', 'include', 'within', 'withinCircle', 'withinRegion', 'hasKey']) {
    Query.prototype[m] = () => {
      throw new HError(611, 'Query.' + m + ' does not apply to orders')
    }
  }
  return { Query, where: q => sync(() => ((q = objectOf(q)) ? JSON.parse(JSON.stringify(q)) : 0)) }
}
