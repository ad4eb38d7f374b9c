// What the page tests share: the repository root, the Chromium binary, and
// the environment `cargo xtask test` sets (the emulator, its control token,
// xtask's static server, the credentials and the endpoint table).
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const EMULATOR = (process.env.BAAS_EMULATOR_URL || '').replace(/\/$/, '')
export const CONTROL_TOKEN = process.env.BAAS_EMULATOR_CONTROL_TOKEN
export const STATIC = (process.env.BAAS_STATIC_URL || '').replace(/\/$/, '')
export const CLIENT_ID = process.env.BAAS_CLIENT_ID || 'demo-client-id'
export const ADMIN_TOKEN = process.env.BAAS_ADMIN_TOKEN || 'demo-admin-token'
export const PATHS = JSON.parse(process.env.BAAS_PATHS || '{}')
/** The selector of an element by its `data-testid`. */
export const tid = id => `[data-testid="${id}"]`
