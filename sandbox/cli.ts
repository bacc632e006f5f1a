#!/usr/bin/env node
// npm run sandbox -- --port 4010 --products 50   (or, packed: npx tradegecko-sandbox --port 4010)
// Starts the sandbox and prints its URL and credentials. Ctrl-C stops it.
import { rmSync } from "node:fs"
import { startSandbox } from "./server"
import type { SandboxOptions } from "./types"

const HELP = `TradeGecko API sandbox

Usage: tradegecko-sandbox [options]      (in the plugin's repository: npm run sandbox -- [options])

  --port <n>                  port (default 4010; 0 = random)
  --host <host>               bind address (default 127.0.0.1)
  --products <n>              seeded products (default 20)
  --variants-per-product <n>  variants per product (default 3)
  --seed <n>                  PRNG seed for the catalog (default 1)
  --no-seed                   reference data only (no companies/products)
  --no-history                catalog only: no seeded orders, documents, stock moves or webhook
  --state-file <path>         load the sandbox from this JSON file if it exists, save every change to it
  --reset                     with --state-file: discard the saved state and start from the seed
  --rate-limit <n>            requests per window (default 300)
  --rate-window <seconds>     window length (default 300)
  --token-ttl <seconds>       OAuth access token lifetime (default 7200)
  --client-id <id>            OAuth application id (default sandbox-client-id)
  --client-secret <secret>    OAuth application secret (default sandbox-client-secret)
  --webhook-secret <secret>   HMAC key for X-Gecko-Signature (default: the client secret)
  --privileged-token <token>  privileged access token (default sandbox-privileged-token)
  --redirect-uri <uri>        registered OAuth redirect URI
  --webhook-retry-delays <ms,ms,...>  fixed delays between webhook attempts (default: Sidekiq's schedule)
  --webhook-time-scale <x>    compress the webhook retry schedule (default 1; 0.001 = 1000x faster)
  --webhook-duplicate-rate <p>  chance a delivered webhook is delivered again later (default 0)
  --webhook-timeout <ms>      receiver deadline (default 10000)
  --strict-order-numbers      reject duplicate order numbers with 422
  --quiet                     do not log requests
  --help                      this text
`

export function parseArgs(argv: string[]): SandboxOptions & { help?: boolean; reset?: boolean } {
  const opts: SandboxOptions & { help?: boolean; reset?: boolean } = { port: 4010, logRequests: true }
  const seed: { products?: number; variantsPerProduct?: number; seed?: number; history?: boolean } = {}
  let noSeed = false
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2) as [string, string | undefined]
    const value = () => {
      const v = inline ?? argv[++i]
      if (v === undefined) throw new Error(`${flag} needs a value`)
      return v
    }
    const num = () => {
      const n = Number(value())
      if (!Number.isFinite(n)) throw new Error(`${flag} needs a number`)
      return n
    }
    switch (flag) {
      case "--port":
        opts.port = num()
        break
      case "--host":
        opts.host = value()
        break
      case "--products":
        seed.products = num()
        break
      case "--variants-per-product":
        seed.variantsPerProduct = num()
        break
      case "--seed":
        seed.seed = num()
        break
      case "--no-seed":
        noSeed = true
        break
      case "--no-history":
        seed.history = false
        break
      case "--state-file":
        opts.stateFile = value()
        break
      case "--reset":
        opts.reset = true
        break
      case "--webhook-time-scale":
        opts.webhookTimeScale = num()
        break
      case "--webhook-duplicate-rate":
        opts.webhookDuplicateRate = num()
        break
      case "--rate-limit":
        opts.rateLimit = { ...opts.rateLimit, limit: num() }
        break
      case "--rate-window":
        opts.rateLimit = { ...opts.rateLimit, windowSeconds: num() }
        break
      case "--token-ttl":
        opts.accessTokenTtlSeconds = num()
        break
      case "--client-id":
        opts.clientId = value()
        break
      case "--client-secret":
        opts.clientSecret = value()
        break
      case "--webhook-secret":
        opts.webhookSecret = value()
        break
      case "--privileged-token":
        opts.privilegedToken = value()
        break
      case "--redirect-uri":
        opts.redirectUri = value()
        break
      case "--webhook-retry-delays":
        opts.webhookRetryDelaysMs = value().split(",").map(Number)
        break
      case "--webhook-timeout":
        opts.webhookTimeoutMs = num()
        break
      case "--strict-order-numbers":
        opts.strictOrderNumbers = true
        break
      case "--quiet":
        opts.logRequests = false
        break
      case "--help":
      case "-h":
        opts.help = true
        break
      default:
        throw new Error(`Unknown option ${flag} (see --help)`)
    }
  }
  opts.seed = noSeed ? false : { history: true, ...seed }
  return opts
}

async function main(): Promise<void> {
  let opts: ReturnType<typeof parseArgs>
  try {
    opts = parseArgs(process.argv.slice(2))
  } catch (e) {
    console.error((e as Error).message)
    process.exit(2)
  }
  if (opts.help) {
    process.stdout.write(HELP)
    return
  }
  if (opts.reset && opts.stateFile) rmSync(opts.stateFile, { force: true })
  let sandbox: Awaited<ReturnType<typeof startSandbox>>
  try {
    sandbox = await startSandbox(opts)
  } catch (e) {
    console.error((e as Error).message)
    process.exit(2)
  }
  const c = sandbox.credentials
  console.log(`TradeGecko API sandbox listening on ${sandbox.url}

  API base URL      ${sandbox.url}
  Privileged token  ${c.privilegedToken}
  OAuth client id   ${c.clientId}
  OAuth secret      ${c.clientSecret}   (also the webhook signing key)
  Redirect URI      ${c.redirectUri}
  Authorize URL     ${sandbox.url}/oauth/authorize?response_type=code&client_id=${encodeURIComponent(c.clientId)}&redirect_uri=${encodeURIComponent(c.redirectUri)}
  Control API       ${sandbox.url}/__sandbox
  State file        ${opts.stateFile ? `${opts.stateFile} (${sandbox.restored ? "restored" : "new"})` : "none (in memory)"}

  curl -i -H "Authorization: Bearer ${c.privilegedToken}" "${sandbox.url}/products?limit=10&page=2"
`)
  const stop = () => {
    sandbox.close().then(() => process.exit(0))
  }
  process.on("SIGINT", stop)
  process.on("SIGTERM", stop)
}

if (require.main === module) void main()
