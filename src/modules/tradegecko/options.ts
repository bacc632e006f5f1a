import { parseExpression } from "cron-parser"
import { z } from "@medusajs/framework/zod"

/**
 * Every option of the plugin (the OPTIONS table below), validated once at boot (module
 * loader) and again in the service constructor, which keeps the parsed copy for `getOptions()`.
 *
 * Medusa passes extra keys (e.g. `database`) into module options; they are
 * stripped, never echoed or logged.
 */
export const ORDER_SYNC_LEVELS = ["off", "push", "push_and_status"] as const
export const CHECKOUT_WHEN_UNREACHABLE = ["allow", "refuse"] as const

const httpUrl = z
  .string()
  .url("must be an absolute URL such as https://api.tradegecko.com")
  .refine((u) => /^https?:\/\//i.test(u), "must start with http:// or https://")
  .transform((u) => u.replace(/\/+$/, ""))

/** A cron expression (5 fields, or 6 with seconds first) or "off". */
const scheduleSchema = z
  .string()
  .refine(
    (v) => v === "off" || /^(\S+\s+){4,5}\S+$/.test(v),
    "must be \"off\" or a cron expression with 5 fields (or 6, seconds first), e.g. '0 * * * *'"
  )
  .refine((expr) => {
    if (expr === "off") return true
    try {
      parseExpression(expr)
      return true
    } catch {
      return false
    }
  }, "is not a valid cron expression")

/** The input the admin settings form draws for an option it can override. */
export type FieldInput =
  | "text"
  | "number"
  | "select"
  | "boolean"
  | "date"
  | "stock_location"
  | "sales_channel"
  | "price_list"
  | "location_map"
  | "currency_map"
  | "json"

/** One plugin option: its rule, its words on the settings page, and whether the admin can override it. */
interface OptionSpec {
  /** The option's rule and default, as medusa-config passes it. */
  schema: z.ZodType
  label: string
  help: string
  /** What the option means when it has no value (and no default). */
  whenUnset?: string
  /** Never shown: the settings page says only whether it is set. */
  secret?: boolean
  /**
   * The admin settings page can override it at run time: the tradegecko_settings column that
   * holds the override, and the form input (same rule as the option, null: back to the option).
   */
  override?: { column: string; input: FieldInput; choices?: Record<string, string>; unit?: string }
}

/**
 * Every option of the plugin, in the order the settings page lists them: the one place an
 * option is named. The options schema, the admin overrides (schema, settings columns), the
 * settings page's words and the masking of secrets are all built from it.
 */
const OPTIONS = {
  baseUrl: {
    schema: httpUrl.default("https://api.tradegecko.com"),
    label: "TradeGecko API address",
    help: "Where the plugin calls TradeGecko (the sandbox prints its own).",
  },
  clientId: {
    schema: z.string().min(1).optional(),
    label: "OAuth application id",
    help: 'Needed for "Connect with TradeGecko".',
    whenUnset: "no OAuth: connect with a privileged token",
  },
  /** The OAuth application secret; it also signs webhooks. */
  clientSecret: {
    schema: z.string().min(1).optional(),
    label: "OAuth application secret",
    help: "Also checks the signature of TradeGecko's webhooks.",
    whenUnset: "no OAuth, webhook signatures not checked",
    secret: true,
  },
  /** Privileged access token: never expires, no OAuth dance needed. */
  privilegedToken: {
    schema: z.string().min(1).optional(),
    label: "Privileged token",
    help: "A token that never expires; connects without the OAuth consent screen.",
    whenUnset: "connect from this page",
    secret: true,
  },
  /** Per-attempt timeout of background TradeGecko calls (sync, order push); checkout calls use 5 s. */
  requestTimeoutSeconds: {
    schema: z
      .number({ message: "must be a number of seconds" })
      .int("must be a whole number of seconds")
      .min(1, "must be 1 second or more")
      .default(30),
    label: "Request timeout",
    help: "How long one background call to TradeGecko may take (checkout calls use 5 seconds).",
  },
  /** Only products carrying this TradeGecko tag are synced (unset = all). */
  syncFromTag: {
    schema: z.string().trim().min(1).optional(),
    label: "Only products tagged",
    help: "Only TradeGecko products carrying this tag are synced; empty: every product.",
    whenUnset: "every product",
    override: { column: "sync_from_tag", input: "text" },
  },
  /** TradeGecko price list whose prices become Medusa prices ("retail", "wholesale" or a custom list id); default: the account's default order price list. */
  defaultPriceList: {
    schema: z.string().trim().min(1).optional(),
    label: "Price list",
    help: "The TradeGecko price list whose prices become Medusa prices; unset: the account's default order price list.",
    whenUnset: "the account's default order price list",
    override: { column: "default_price_list", input: "price_list" },
  },
  /**
   * One TradeGecko price list per store currency, for stores selling in several currencies,
   * e.g. { usd: "retail", eur: "12" }. Each list's own currency (in TradeGecko) must be the
   * currency it is mapped to. Unset: the defaultPriceList (or the account's default) only,
   * written in that list's own currency.
   */
  priceLists: {
    schema: z
      .record(z.string(), z.string().trim().min(1, 'must be a TradeGecko price list id such as "retail" or "12"'))
      .superRefine((m, ctx) => {
        const bad = Object.keys(m).filter((k) => !/^[A-Za-z]{3}$/.test(k))
        if (bad.length)
          ctx.addIssue({
            code: "custom",
            message: `priceLists: ${bad.map((k) => `"${k}"`).join(", ")} is not a 3-letter ISO currency code such as usd`,
          })
        if (!Object.keys(m).length)
          ctx.addIssue({ code: "custom", message: "priceLists: must map at least one currency (or be left out)" })
      })
      .transform((m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k.toLowerCase(), v])))
      .optional(),
    label: "Price list per currency",
    help: "One TradeGecko price list per store currency, e.g. usd → retail, eur → a euro list.",
    whenUnset: "one price list (above), in its own currency",
    override: { column: "price_lists", input: "currency_map" },
  },
  /** Medusa sales channel the imported products are sold in; default: the store's default sales channel. */
  salesChannelId: {
    schema: z.string().trim().min(1).optional(),
    label: "Sales channel",
    help: "The Medusa sales channel imported products are sold in; unset: the store's default channel.",
    whenUnset: "the store's default sales channel",
    override: { column: "sales_channel_id", input: "sales_channel" },
  },
  /** Medusa stock location that receives TradeGecko stock when no mapping applies. */
  defaultStockLocationId: {
    schema: z.string().trim().min(1).optional(),
    label: "Stock location",
    help: "The Medusa stock location that receives TradeGecko stock when no location mapping applies.",
    whenUnset: "the store's default stock location",
    override: { column: "default_stock_location_id", input: "stock_location" },
  },
  /** TradeGecko location id -> Medusa stock location id. */
  locationMap: {
    schema: z.record(z.string(), z.string().min(1)).default({}),
    label: "Location mapping",
    help: "Which Medusa stock location receives the stock of each TradeGecko location.",
    override: { column: "location_map", input: "location_map" },
  },
  /** Cron expression of the scheduled catalog pull, or "off" (webhooks and Force sync only). */
  productSyncSchedule: {
    schema: scheduleSchema.default("0 * * * *"),
    label: "Catalog sync schedule",
    help: "When the catalog is pulled from TradeGecko (webhooks and Force sync work in between).",
  },
  /** Cron expression of the order reconciliation (TradeGecko paid/shipped/returned/void → Medusa, for missed webhooks), or "off". */
  orderReconcileSchedule: {
    schema: scheduleSchema.default("*/5 * * * *"),
    label: "Order status check schedule",
    help: "When TradeGecko's paid, shipped and void orders are read back, for webhooks that never came.",
  },
  /** Stock older than this (seconds) is refreshed from TradeGecko at checkout. */
  checkoutFreshnessSeconds: {
    schema: z
      .number({ message: "must be a number of seconds" })
      .int("must be a whole number of seconds")
      .min(0, "must be 0 or more seconds")
      .default(300),
    label: "Stock freshness at checkout",
    help: "Stock older than this is read again from TradeGecko when a shopper checks out.",
    override: { column: "checkout_freshness_seconds", input: "number", unit: "seconds" },
  },
  /**
   * The built-in completeCartWorkflow.hooks.validate handler (stock guard at completion).
   * Turn it off when your app consumes that hook itself, and call validateCartStock from it.
   */
  checkoutGuard: {
    schema: z.boolean().default(true),
    label: "Stock check at checkout",
    help: "The plugin checks stock when a cart completes (off when the app calls validateCartStock itself).",
  },
  /** off: never push orders; push: push orders only; push_and_status: also sync payment, void and shipping back. */
  orderSyncLevel: {
    schema: z.enum(ORDER_SYNC_LEVELS).default("push_and_status"),
    label: "Order sync",
    help: "Whether orders go to TradeGecko, and whether payment, shipping and void come back.",
    override: {
      column: "order_sync_level",
      input: "select",
      choices: {
        off: "Off: orders are not pushed",
        push: "Push orders to TradeGecko",
        push_and_status: "Push orders, and bring payment, shipping and void back",
      } satisfies Record<(typeof ORDER_SYNC_LEVELS)[number], string>,
    },
  },
  /** TradeGecko unreachable at completion: "allow" the order on the last known stock (logged), or "refuse" it. */
  checkoutWhenUnreachable: {
    schema: z.enum(CHECKOUT_WHEN_UNREACHABLE).default("allow"),
    label: "TradeGecko unreachable at checkout",
    help: "What a checkout does when TradeGecko does not answer.",
    override: {
      column: "checkout_when_unreachable",
      input: "select",
      choices: {
        allow: "Allow the order on the last known stock",
        refuse: "Refuse the order, shopper may retry",
      } satisfies Record<(typeof CHECKOUT_WHEN_UNREACHABLE)[number], string>,
    },
  },
  /** Orders placed before this moment (ISO date) are not pushed (e.g. history before the plugin was installed). */
  orderSyncFrom: {
    schema: z
      .string()
      .refine((v) => !Number.isNaN(Date.parse(v)), "must be an ISO date such as 2026-01-01 or 2026-01-01T00:00:00Z")
      .optional(),
    label: "Push orders placed from",
    help: "Orders placed before this date are not pushed (history before the plugin).",
    whenUnset: "every order",
    override: { column: "order_sync_from", input: "date" },
  },
  /**
   * Acceptance rule: push an order as finalized (ready to ship) when every item is known to
   * TradeGecko and in stock there, and each line's price is at least
   * autoFinalizePriceThreshold × its price-list price; otherwise it goes as a draft for
   * review and the reason is recorded. Off: orders go as active (stock committed).
   */
  autoFinalizeOrders: {
    schema: z.boolean({ message: "must be true or false" }).default(false),
    label: "Acceptance rule",
    help: "On: an order whose items are all known and in stock in TradeGecko, at list price, goes as finalized (ready to ship); others go as drafts for review. Off: orders go as active.",
    override: { column: "auto_finalize_orders", input: "boolean" },
  },
  autoFinalizePriceThreshold: {
    schema: z
      .number({ message: "must be a number between 0 and 1" })
      .min(0, "must be between 0 and 1")
      .max(1, "must be between 0 and 1")
      .default(0.97),
    label: "Lowest accepted price",
    help: "The acceptance rule accepts a line priced at least this share of its price-list price (0.97 = 97 %).",
    override: { column: "auto_finalize_price_threshold", input: "number" },
  },
  /**
   * An order voided in TradeGecko is canceled in Medusa, and Medusa's cancel refunds captured
   * payments. false (default): only unpaid orders are canceled; a paid one is left as it is
   * and listed in order health for a person. true: paid orders are canceled (and refunded) too.
   */
  cancelPaidOrdersOnVoid: {
    schema: z.boolean().default(false),
    label: "Void of a paid order",
    help: "Off: an order voided in TradeGecko is canceled in Medusa only when nothing is captured; a paid one waits in order health for a person. On: paid orders are canceled and refunded too.",
  },
  /**
   * Cron expression of the webhook check (with webhookBaseUrl): a subscription missing in
   * TradeGecko (deleted there, or never made) is created again. Independent of productSyncSchedule.
   */
  webhookCheckSchedule: {
    schema: scheduleSchema.default("*/15 * * * *"),
    label: "Webhook check schedule",
    help: "When the plugin checks that every TradeGecko webhook subscription exists, and re-creates missing ones.",
  },
  /**
   * Calls per TradeGecko rate-limit window (300 per 300 s per account) that background work
   * (catalog, orders, status) leaves for checkout stock checks, across every process. At most
   * half the window. Checkout calls never wait for the window: when it is used up they count
   * as "TradeGecko unreachable" (checkoutWhenUnreachable).
   */
  rateLimitCheckoutShare: {
    schema: z
      .number({ message: "must be a number of calls" })
      .int("must be a whole number of calls")
      .min(0, "must be 0 or more calls")
      .default(30),
    label: "Calls kept for checkout",
    help: "Calls of each TradeGecko rate-limit window (300 per 300 s, shared by every process) that background work leaves for checkout stock checks.",
  },
  importHeapHeadroomMb: {
    schema: z
      .number({ message: "must be a number of MiB" })
      .int("must be a whole number of MiB")
      .min(0, "must be 0 (leave it to V8) or more MiB")
      .default(160),
    label: "Import memory headroom (MiB)",
    help: "While a catalog import runs, a full garbage collection runs whenever the JS heap has grown this much since the last one, so a big import's garbage does not pile up (Node's defaults let it reach ~4 × what is alive). 0 leaves it to V8.",
  },
  /**
   * Redis holding the rate-limit budget shared by every server and worker process (e.g. the
   * app's REDIS_URL). Unset: the budget is kept in Postgres, which every process shares too.
   */
  redisUrl: {
    schema: z
      .string()
      .refine((u) => /^rediss?:\/\/\S+$/i.test(u), "must be a Redis URL such as redis://127.0.0.1:6379")
      .optional(),
    label: "Redis for the rate-limit budget",
    help: "Where every process counts its TradeGecko calls; unset: Postgres.",
    secret: true, // a Redis URL may carry a password
  },
  /** Public URL of this Medusa server, used to register TradeGecko webhooks. Needs clientSecret (TradeGecko signs deliveries with it). */
  webhookBaseUrl: {
    schema: httpUrl.optional(),
    label: "Public address for webhooks",
    help: "This server's public URL, where TradeGecko sends its webhooks; unset: no webhooks.",
    whenUnset: "no webhooks: scheduled sync only",
  },
} satisfies Record<string, OptionSpec>

type OptionTable = typeof OPTIONS
export type OptionName = keyof OptionTable
/** The options the admin settings page can override. */
export type OverridableOption = {
  [K in OptionName]: OptionTable[K] extends { override: object } ? K : never
}[OptionName]

/** Every option's spec, by name (for the settings page's words). */
export const OPTION_SPECS: Readonly<Record<OptionName, OptionSpec>> = OPTIONS

/** Options never shown or logged: the settings page says only whether they are set. */
export const SECRET_OPTIONS: ReadonlySet<string> = new Set(
  Object.entries(OPTIONS as Record<string, OptionSpec>).flatMap(([name, spec]) => (spec.secret ? [name] : []))
)

/** The overridable options with their tradegecko_settings column, in table order. */
export const SETTING_COLUMNS = Object.fromEntries(
  Object.entries(OPTIONS as Record<string, OptionSpec>).flatMap(([name, spec]) =>
    spec.override ? [[name, spec.override.column]] : []
  )
) as Record<OverridableOption, string>

export const TradegeckoOptionsSchema = z.object(
  Object.fromEntries(Object.entries(OPTIONS).map(([name, spec]) => [name, spec.schema])) as {
    [K in OptionName]: OptionTable[K]["schema"]
  }
)

/**
 * What the admin settings page may change at run time: each overridable option with the
 * option's own rule (null clears an override, so the plugin option applies again).
 */
export const SettingsUpdateSchema = z
  .object(
    Object.fromEntries(
      (Object.keys(SETTING_COLUMNS) as OverridableOption[]).map((name) => [
        name,
        OPTIONS[name].schema.unwrap().nullable(),
      ])
    ) as { [K in OverridableOption]: z.ZodNullable<ReturnType<OptionTable[K]["schema"]["unwrap"]>> }
  )
  .partial()
  .strict()
export type SettingsUpdate = z.infer<typeof SettingsUpdateSchema>

/**
 * Validates a settings update from the admin; throws a 400-style error (type invalid_data)
 * naming every bad field, an option the admin cannot change, or an unknown name.
 */
export function parseSettingsUpdate(raw: unknown): SettingsUpdate {
  const problems: string[] = []
  const body = raw ?? {}
  if (typeof body !== "object" || Array.isArray(body)) {
    problems.push("(settings): must be an object of option names and values")
  } else {
    for (const key of Object.keys(body)) {
      if (key in SETTING_COLUMNS) continue
      problems.push(
        key in OPTIONS
          ? `${key}: set in the plugin options (medusa-config), it cannot be changed from the admin`
          : `${key}: no such setting (the admin can change ${Object.keys(SETTING_COLUMNS).join(", ")})`
      )
    }
  }
  const result = SettingsUpdateSchema.safeParse(body)
  if (result.success && !problems.length) return result.data
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === "unrecognized_keys") continue // named above
      problems.push(`${issue.path.join(".") || "(settings)"}: ${issue.message}`)
    }
  }
  const err = new Error(`Invalid TradeGecko settings: ${problems.join("; ")}`)
  ;(err as Error & { type?: string }).type = "invalid_data"
  throw err
}

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
export function credentialKind(options: TradegeckoOptions): "privileged_token" | "oauth_application" | null {
  if (options.privilegedToken) return "privileged_token"
  if (options.clientId && options.clientSecret) return "oauth_application"
  return null
}
