import { parseExpression } from "cron-parser"
import { z } from "@medusajs/framework/zod"

/**
 * Every option of the plugin, validated once at boot (module loader) and again
 * in the service constructor, which keeps the parsed copy for `getOptions()`.
 *
 * Medusa passes extra keys (e.g. `database`) into module options; they are
 * stripped, never echoed or logged.
 */
export const ORDER_SYNC_LEVELS = ["off", "push", "push_and_status"] as const

const httpUrl = z
  .string()
  .url("must be an absolute URL such as https://api.tradegecko.com")
  .refine((u) => /^https?:\/\//i.test(u), "must start with http:// or https://")
  .transform((u) => u.replace(/\/+$/, ""))

/** A cron expression (5 fields, or 6 with seconds first) or "off". */
const scheduleSchema = z
  .string()
  .refine((v) => v === "off" || /^(\S+\s+){4,5}\S+$/.test(v), "must be \"off\" or a cron expression with 5 fields (or 6, seconds first), e.g. '0 * * * *'")
  .refine((expr) => {
    if (expr === "off") return true
    try {
      parseExpression(expr)
      return true
    } catch {
      return false
    }
  }, "is not a valid cron expression")

export const TradegeckoOptionsSchema = z.object({
  /** TradeGecko API base URL. The sandbox prints its own. */
  baseUrl: httpUrl.default("https://api.tradegecko.com"),
  /** OAuth application id / secret (the secret also signs webhooks). */
  clientId: z.string().min(1).optional(),
  clientSecret: z.string().min(1).optional(),
  /** Per-attempt timeout of background TradeGecko calls (sync, order push); checkout calls use 5 s. */
  requestTimeoutSeconds: z
    .number({ message: "must be a number of seconds" })
    .int("must be a whole number of seconds")
    .min(1, "must be 1 second or more")
    .default(30),
  /** Privileged access token: never expires, no OAuth dance needed. */
  privilegedToken: z.string().min(1).optional(),
  /** Medusa stock location that receives TradeGecko stock when no mapping applies. */
  defaultStockLocationId: z.string().min(1).optional(),
  /** TradeGecko price list whose prices become Medusa prices ("retail", "wholesale" or a custom list id); default: the account's default order price list. */
  defaultPriceList: z.string().min(1).optional(),
  /**
   * One TradeGecko price list per store currency, for stores selling in several currencies,
   * e.g. { usd: "retail", eur: "12" }. Each list's own currency (in TradeGecko) must be the
   * currency it is mapped to. Unset: the defaultPriceList (or the account's default) only,
   * written in that list's own currency.
   */
  priceLists: z
    .record(z.string(), z.string().trim().min(1, "must be a TradeGecko price list id such as \"retail\" or \"12\""))
    .superRefine((m, ctx) => {
      const bad = Object.keys(m).filter((k) => !/^[A-Za-z]{3}$/.test(k))
      if (bad.length) ctx.addIssue({ code: "custom", message: `priceLists: ${bad.map((k) => `"${k}"`).join(", ")} is not a 3-letter ISO currency code such as usd` })
      if (!Object.keys(m).length) ctx.addIssue({ code: "custom", message: "priceLists: must map at least one currency (or be left out)" })
    })
    .transform((m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k.toLowerCase(), v])))
    .optional(),
  /** Medusa sales channel the imported products are sold in; default: the store's default sales channel. */
  salesChannelId: z.string().trim().min(1).optional(),
  /** Only products carrying this TradeGecko tag are synced (unset = all). */
  syncFromTag: z.string().min(1).optional(),
  /** TradeGecko location id -> Medusa stock location id. */
  locationMap: z.record(z.string(), z.string().min(1)).default({}),
  /** Cron expression of the scheduled catalog pull, or "off" (webhooks and Force sync only). */
  productSyncSchedule: scheduleSchema.default("0 * * * *"),
  /** Cron expression of the order reconciliation (TradeGecko paid/shipped/returned/void → Medusa, for missed webhooks), or "off". */
  orderReconcileSchedule: scheduleSchema.default("*/5 * * * *"),
  /** Stock older than this (seconds) is refreshed from TradeGecko at checkout. */
  checkoutFreshnessSeconds: z
  .number({ message: "must be a number of seconds" })
  .int("must be a whole number of seconds")
  .min(0, "must be 0 or more seconds")
  .default(300),
  /**
   * The built-in completeCartWorkflow.hooks.validate handler (stock guard at completion).
   * Turn it off when your app consumes that hook itself, and call validateCartStock from it.
   */
  checkoutGuard: z.boolean().default(true),
  /**
   * Calls per TradeGecko rate-limit window (300 per 300 s per account) that background work
   * (catalog, orders, status) leaves for checkout stock checks, across every process. At most
   * half the window. Checkout calls never wait for the window: when it is used up they count
   * as "TradeGecko unreachable" (checkoutWhenUnreachable).
   */
  rateLimitCheckoutShare: z
    .number({ message: "must be a number of calls" })
    .int("must be a whole number of calls")
    .min(0, "must be 0 or more calls")
    .default(30),
  /** TradeGecko unreachable at completion: "allow" the order on the last known stock (logged), or "refuse" it. */
  checkoutWhenUnreachable: z.enum(["allow", "refuse"]).default("allow"),
  /** off: never push orders; push: push orders only; push_and_status: also sync payment, void and shipping back. */
  orderSyncLevel: z.enum(ORDER_SYNC_LEVELS).default("push_and_status"),
  /** Orders placed before this moment (ISO date) are not pushed (e.g. history before the plugin was installed). */
  orderSyncFrom: z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO date such as 2026-01-01 or 2026-01-01T00:00:00Z")
  .optional(),
  /**
   * Acceptance rule: push an order as finalized (ready to ship) when every item is known to
   * TradeGecko and in stock there, and each line's price is at least
   * autoFinalizePriceThreshold × its price-list price; otherwise it goes as a draft for
   * review and the reason is recorded. Off: orders go as active (stock committed).
   */
  autoFinalizeOrders: z.boolean().default(false),
  autoFinalizePriceThreshold: z
  .number({ message: "must be a number between 0 and 1" })
  .min(0, "must be between 0 and 1")
  .max(1, "must be between 0 and 1")
  .default(0.97),
  /**
   * An order voided in TradeGecko is canceled in Medusa, and Medusa's cancel refunds captured
   * payments. false (default): only unpaid orders are canceled; a paid one is left as it is
   * and listed in order health for a person. true: paid orders are canceled (and refunded) too.
   */
  cancelPaidOrdersOnVoid: z.boolean().default(false),
  /**
   * Redis holding the rate-limit budget shared by every server and worker process (e.g. the
   * app's REDIS_URL). Unset: the budget is kept in Postgres, which every process shares too.
   */
  redisUrl: z
    .string()
    .refine((u) => /^rediss?:\/\/\S+$/i.test(u), "must be a Redis URL such as redis://127.0.0.1:6379")
    .optional(),
  /** Public URL of this Medusa server, used to register TradeGecko webhooks. Needs clientSecret (TradeGecko signs deliveries with it). */
  webhookBaseUrl: httpUrl.optional(),
  /**
   * Cron expression of the webhook check (with webhookBaseUrl): a subscription missing in
   * TradeGecko (deleted there, or never made) is created again. Independent of productSyncSchedule.
   */
  webhookCheckSchedule: scheduleSchema.default("*/15 * * * *"),
})

/**
 * What the admin settings page may change at run time (null clears an override, so the
 * plugin option applies again). Same rules as the options.
 */
export const SettingsUpdateSchema = z
  .object({
    syncFromTag: z.string().trim().min(1).nullable(),
    defaultPriceList: z.string().trim().min(1).nullable(),
    priceLists: TradegeckoOptionsSchema.shape.priceLists.unwrap().nullable(),
    salesChannelId: z.string().trim().min(1).nullable(),
    defaultStockLocationId: z.string().trim().min(1).nullable(),
    locationMap: z.record(z.string(), z.string().min(1)).nullable(),
    checkoutFreshnessSeconds: TradegeckoOptionsSchema.shape.checkoutFreshnessSeconds.unwrap().nullable(),
    orderSyncLevel: z.enum(ORDER_SYNC_LEVELS).nullable(),
    checkoutWhenUnreachable: z.enum(["allow", "refuse"]).nullable(),
    orderSyncFrom: TradegeckoOptionsSchema.shape.orderSyncFrom.unwrap().nullable(),
    autoFinalizeOrders: z.boolean({ message: "must be true or false" }).nullable(),
    autoFinalizePriceThreshold: TradegeckoOptionsSchema.shape.autoFinalizePriceThreshold.unwrap().nullable(),
  })
  .partial()
  .strict()
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>

export type TradegeckoOptionsInput = z.input<typeof TradegeckoOptionsSchema>
export type TradegeckoOptions = z.output<typeof TradegeckoOptionsSchema>

export const PLUGIN_NAME = "medusa-plugin-tradegecko"

/** Parses options; throws one Error naming every bad option and why. */
export function parseOptions(raw: unknown): TradegeckoOptions {
  const result = TradegeckoOptionsSchema.safeParse(raw ?? {})
  if (result.success && !(result.data.webhookBaseUrl && !result.data.clientSecret)) {
    return result.data
  }
  const problems = result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join(".") || "(options)"}: ${issue.message}`)
  const parsed = (raw ?? {}) as Record<string, unknown>
  if (parsed.webhookBaseUrl && !parsed.clientSecret) {
    // Every delivery would be refused (unverifiable signature) while the subscriptions look registered.
    problems.push(
      "webhookBaseUrl: needs clientSecret, the OAuth application secret TradeGecko signs every webhook delivery with (also with a privileged token); set clientSecret, or leave webhookBaseUrl out"
    )
  }
  throw new Error(`${PLUGIN_NAME}: invalid plugin options: ${problems.join("; ")}`)
}

/** True when the plugin has what it needs to call TradeGecko. */
export function credentialKind(
  options: TradegeckoOptions
): "privileged_token" | "oauth_application" | null {
  if (options.privilegedToken) return "privileged_token"
  if (options.clientId && options.clientSecret) return "oauth_application"
  return null
}
