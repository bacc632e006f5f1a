// Public entry point of the TradeGecko API sandbox.
//
//   import { startSandbox } from "../sandbox"
//   const sandbox = await startSandbox({ port: 0, seed: { products: 50 } })
//   // sandbox.url, sandbox.credentials.privilegedToken, …
//   await sandbox.close()
export { startSandbox, Sandbox } from "./server"
export { signature as webhookSignature } from "./webhooks"
export { SEED_BASE_TIME, SPECIAL_PRODUCTS } from "./seed"
export type { SandboxCredentials, SandboxHandle, SandboxOptions, SeedOptions } from "./types"
