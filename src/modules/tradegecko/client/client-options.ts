/**
 * Constructor options of `TradegeckoClient`, validated with zod.
 */
import { z } from "zod"
import { TradegeckoConfigurationError } from "./errors"
import type { RateBudgetStore } from "./budget"
import type { TradegeckoLoggerInput } from "./logger"
import { normalizeExpiresAt, type OnTokens, type RefreshCoordinator, type TradegeckoTokens } from "./oauth"

const expiresAtSchema = z.union([z.number(), z.string().min(1), z.date()]).transform((v, ctx) => {
  try {
    return normalizeExpiresAt(v)
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message })
    return z.NEVER
  }
})

export const TokensOptionSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  /** Epoch ms (or seconds if < 1e12), Date, or ISO string. */
  expiresAt: expiresAtSchema,
  tokenType: z.string().optional(),
  scope: z.string().optional(),
})

export const AuthOptionSchema = z.discriminatedUnion("type", [
  z.object({
    /** Privileged access token: never expires, no refresh. */
    type: z.literal("privileged"),
    accessToken: z.string().min(1),
  }),
  z.object({
    type: z.literal("oauth"),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    redirectUri: z.string().min(1).optional(),
    tokens: TokensOptionSchema,
  }),
])

const fn = <T>(label: string) => z.custom<T>((v) => typeof v === "function", { message: `${label} must be a function` })

export const TradegeckoClientOptionsSchema = z.object({
  /** API root, e.g. "https://api.tradegecko.com" or "http://127.0.0.1:4010" (trailing slash optional). */
  baseUrl: z
    .string()
    .default("https://api.tradegecko.com")
    .refine((v) => /^https?:\/\/[^/\s]+/i.test(v), { message: "baseUrl must be an http(s) URL" })
    .transform((v) => v.replace(/\/+$/, "")),
  auth: AuthOptionSchema,
  /** Receives every rotated token pair (awaited before the new access token is used). */
  onTokens: fn<OnTokens>("onTokens").optional(),
  /** Wraps each refresh with a cross-process lock (see RefreshCoordinator). */
  refreshCoordinator: fn<RefreshCoordinator>("refreshCoordinator").optional(),
  /** Parallel HTTP requests per client. */
  concurrency: z.number().int().min(1).max(32).default(4),
  /** Retries for 5xx / timeouts / connection errors on replay-safe requests. */
  maxRetries: z.number().int().min(0).max(20).default(4),
  /** Per-attempt timeout. */
  timeoutMs: z.number().int().positive().default(30_000),
  /** First retry delay; doubles per retry (+0–20 % jitter). */
  retryBaseDelayMs: z.number().int().nonnegative().default(500),
  /** Cap for one retry delay. */
  maxRetryDelayMs: z.number().int().nonnegative().default(30_000),
  /** How many times one call may wait out a 429 before TradegeckoRateLimitedError. */
  maxRateLimitRetries: z.number().int().min(0).max(100).default(10),
  /** Requests per window the pacer leaves unused (for other apps on the same account). */
  rateLimitReserve: z.number().int().min(0).default(0),
  /** Requests per window that background calls leave for fail-fast (checkout) calls; capped at half the limit. */
  rateLimitCheckoutShare: z.number().int().min(0).default(0),
  /**
   * Never wait for the rate-limit window: when it is used up (shared budget, or a 429) the
   * call throws TradegeckoRateLimitedError at once. For calls a shopper waits on.
   */
  failFastOnRateLimit: z.boolean().default(false),
  /** Shared count of calls per window, for several processes on one account (default: in memory). */
  rateBudget: z
    .custom<RateBudgetStore>(
      (v) =>
        typeof v === "object" &&
        v !== null &&
        typeof (v as RateBudgetStore).take === "function" &&
        typeof (v as RateBudgetStore).raise === "function" &&
        typeof (v as RateBudgetStore).read === "function",
      {
        message: "rateBudget must implement take(), raise() and read()",
      }
    )
    .optional(),
  /** Names the account in the rateBudget store (clients of one account must use the same key). */
  rateBudgetKey: z.string().min(1).default("tradegecko"),
  /** Safety margin after X-Rate-Limit-Reset before probing the new window. */
  rateLimitResetMarginMs: z.number().int().min(0).default(250),
  /** Upper bound for one rate-limit hold. */
  rateLimitMaxWaitMs: z.number().int().positive().default(310_000),
  /** Refresh OAuth tokens when they expire within this many ms. */
  refreshSkewMs: z.number().int().min(0).default(30_000),
  /** "strict": a response that does not match its schema throws TradegeckoResponseError; "warn": log and return the raw record. */
  responseValidation: z.enum(["strict", "warn"]).default("strict"),
  userAgent: z.string().min(1).default("medusa-plugin-tradegecko"),
  logger: z
    .custom<TradegeckoLoggerInput>((v) => v === undefined || (typeof v === "object" && v !== null), {
      message: "logger must be an object with debug/info/warn/error methods",
    })
    .optional(),
})

export type TradegeckoClientOptions = z.input<typeof TradegeckoClientOptionsSchema>
export type ResolvedClientOptions = z.output<typeof TradegeckoClientOptionsSchema>
export type { TradegeckoTokens }

export function resolveClientOptions(input: unknown): ResolvedClientOptions {
  const parsed = TradegeckoClientOptionsSchema.safeParse(input)
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((i) => `${i.path.length ? i.path.join(".") : "options"}: ${i.message}`)
      .join("; ")
    throw new TradegeckoConfigurationError(`Invalid TradeGecko client options — ${issues}`)
  }
  return parsed.data
}
