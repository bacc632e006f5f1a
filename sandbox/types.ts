// Public option/handle types and the few internal types shared across modules.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

export interface SeedOptions {
  /** Number of products (default 20). */
  products?: number
  /** Variants per product (default 3). */
  variantsPerProduct?: number
  /** PRNG seed; same seed => byte-identical catalog (default 1). */
  seed?: number
  /**
   * Business history on top of the catalog (default true): orders in every state with
   * invoices, payments, fulfillments, a return, stock adjustments/transfers and one
   * webhook subscription. false = a fresh account with a catalog and no documents.
   */
  history?: boolean
}

export interface SandboxOptions {
  /** 0 = random free port (default 0). */
  port?: number
  /** Default "127.0.0.1". */
  host?: string
  /** Catalog to seed, or false for an empty account (reference data only). Default: 20 products. */
  seed?: SeedOptions | false
  /** Default 300 requests per 300 s (spec §2.7). */
  rateLimit?: { limit?: number; windowSeconds?: number }
  /** Default 7200 (spec §1.4). */
  accessTokenTtlSeconds?: number
  clientId?: string
  clientSecret?: string
  privilegedToken?: string
  redirectUri?: string
  /** HMAC key for X-Gecko-Signature; defaults to clientSecret (spec §5.3: the OAuth application secret). */
  webhookSecret?: string
  /** Fixed delays between webhook attempts instead of the real (Sidekiq) schedule; see README. */
  webhookRetryDelaysMs?: number[]
  /** Compresses the Sidekiq retry schedule: real ms per scheduled ms (default 1; 0.0001 = 3 days in ~26 s). */
  webhookTimeScale?: number
  /** Chance (0–1) that a delivered notification is delivered again later (default 0). */
  webhookDuplicateRate?: number
  /** JSON file the sandbox loads at start (if present) and saves after every change. */
  stateFile?: string
  /** Receiver deadline per attempt (default 10 000 ms, spec §5.4). */
  webhookTimeoutMs?: number
  /** Reject duplicate order numbers with 422 (default false, spec §6). */
  strictOrderNumbers?: boolean
  /** Clock for tests (ms since epoch). Default Date.now. */
  now?: () => number
  /** Print one line per request to stdout (CLI uses this). */
  logRequests?: boolean
}

export interface SandboxCredentials {
  clientId: string
  clientSecret: string
  privilegedToken: string
  redirectUri: string
}

export interface SandboxHandle {
  url: string
  port: number
  credentials: SandboxCredentials
  /** true when the data was loaded from an existing stateFile. */
  restored: boolean
  close(): Promise<void>
}

/** Options after defaults are applied. */
export interface ResolvedOptions {
  port: number
  host: string
  seed: Required<SeedOptions> | false
  rateLimit: { limit: number; windowSeconds: number }
  accessTokenTtlSeconds: number
  credentials: SandboxCredentials
  webhookSecret: string
  webhookRetryDelaysMs: number[] | undefined
  webhookTimeScale: number
  webhookDuplicateRate: number
  stateFile: string | undefined
  webhookTimeoutMs: number
  strictOrderNumbers: boolean
  now: () => number
  logRequests: boolean
}

export const DEFAULT_SEED: Required<SeedOptions> = { products: 20, variantsPerProduct: 3, seed: 1, history: true }

export function resolveOptions(opts: SandboxOptions = {}): ResolvedOptions {
  const clientSecret = opts.clientSecret ?? "sandbox-client-secret"
  return {
    port: opts.port ?? 0,
    host: opts.host ?? "127.0.0.1",
    // history only by default: a caller that spells out its seed options gets exactly that catalog
    seed:
      opts.seed === false
        ? false
        : opts.seed === undefined
          ? { ...DEFAULT_SEED }
          : { ...DEFAULT_SEED, history: false, ...opts.seed },
    rateLimit: { limit: opts.rateLimit?.limit ?? 300, windowSeconds: opts.rateLimit?.windowSeconds ?? 300 },
    accessTokenTtlSeconds: opts.accessTokenTtlSeconds ?? 7200,
    credentials: {
      clientId: opts.clientId ?? "sandbox-client-id",
      clientSecret,
      privilegedToken: opts.privilegedToken ?? "sandbox-privileged-token",
      redirectUri: opts.redirectUri ?? "http://localhost:9000/tradegecko/oauth/callback",
    },
    webhookSecret: opts.webhookSecret ?? clientSecret,
    webhookRetryDelaysMs: opts.webhookRetryDelaysMs,
    webhookTimeScale: opts.webhookTimeScale ?? 1,
    webhookDuplicateRate: opts.webhookDuplicateRate ?? 0,
    stateFile: opts.stateFile,
    webhookTimeoutMs: opts.webhookTimeoutMs ?? 10_000,
    strictOrderNumbers: opts.strictOrderNumbers ?? false,
    now: opts.now ?? Date.now,
    logRequests: opts.logRequests ?? false,
  }
}
