// Your 知晓云 client ID. `host` (optional) points the SDK at another server,
// e.g. a local baas-emulator (the tests do so); leave it out for the cloud.
module.exports = { clientID: 'your-client-id' }
