import { parseExpression } from "cron-parser"
import { SettingsUpdateSchema, TradegeckoOptionsSchema, type TradegeckoOptions } from "../../../../modules/tradegecko/options"

/**
 * What the settings page shows about each option: a label in words, a help line, and
 * for the run-time overrides the input to draw. New overrides need no admin change: every
 * key of SettingsUpdateSchema becomes a form field (typed from this table, else a text box).
 */
export type FieldInput =
  | "text" | "number" | "select" | "boolean" | "date"
  | "stock_location" | "sales_channel" | "price_list" | "location_map" | "currency_map" | "json"

interface OptionMeta {
  label: string
  help: string
  input?: FieldInput
  choices?: Array<{ value: string; label: string }>
  unit?: string
}

export const OPTION_META: Record<string, OptionMeta> = {
  baseUrl: { label: "TradeGecko API address", help: "Where the plugin calls TradeGecko (the sandbox prints its own)." },
  clientId: { label: "OAuth application id", help: "Needed for \"Connect with TradeGecko\"." },
  clientSecret: { label: "OAuth application secret", help: "Also checks the signature of TradeGecko's webhooks." },
  privilegedToken: { label: "Privileged token", help: "A token that never expires; connects without the OAuth consent screen." },
  requestTimeoutSeconds: { label: "Request timeout", help: "How long one background call to TradeGecko may take (checkout calls use 5 seconds).", unit: "seconds" },
  syncFromTag: { label: "Only products tagged", help: "Only TradeGecko products carrying this tag are synced; empty: every product.", input: "text" },
  defaultPriceList: { label: "Price list", help: "The TradeGecko price list whose prices become Medusa prices; unset: the account's default order price list.", input: "price_list" },
  priceLists: { label: "Price list per currency", help: "One TradeGecko price list per store currency, e.g. usd → retail, eur → a euro list.", input: "currency_map" },
  salesChannelId: { label: "Sales channel", help: "The Medusa sales channel imported products are sold in; unset: the store's default channel.", input: "sales_channel" },
  defaultStockLocationId: { label: "Stock location", help: "The Medusa stock location that receives TradeGecko stock when no location mapping applies.", input: "stock_location" },
  locationMap: { label: "Location mapping", help: "Which Medusa stock location receives the stock of each TradeGecko location.", input: "location_map" },
  productSyncSchedule: { label: "Catalog sync schedule", help: "When the catalog is pulled from TradeGecko (webhooks and Force sync work in between)." },
  orderReconcileSchedule: { label: "Order status check schedule", help: "When TradeGecko's paid, shipped and void orders are read back, for webhooks that never came." },
  checkoutFreshnessSeconds: { label: "Stock freshness at checkout", help: "Stock older than this is read again from TradeGecko when a shopper checks out.", input: "number", unit: "seconds" },
  checkoutGuard: { label: "Stock check at checkout", help: "The plugin checks stock when a cart completes (off when the app calls validateCartStock itself)." },
  checkoutWhenUnreachable: {
    label: "TradeGecko unreachable at checkout",
    help: "What a checkout does when TradeGecko does not answer.",
    input: "select",
    choices: [
      { value: "allow", label: "Allow the order on the last known stock" },
      { value: "refuse", label: "Refuse the order, shopper may retry" },
    ],
  },
  orderSyncLevel: {
    label: "Order sync",
    help: "Whether orders go to TradeGecko, and whether payment, shipping and void come back.",
    input: "select",
    choices: [
      { value: "off", label: "Off: orders are not pushed" },
      { value: "push", label: "Push orders to TradeGecko" },
      { value: "push_and_status", label: "Push orders, and bring payment, shipping and void back" },
    ],
  },
  orderSyncFrom: { label: "Push orders placed from", help: "Orders placed before this date are not pushed (history before the plugin).", input: "date" },
  autoFinalizeOrders: { label: "Acceptance rule", help: "On: an order whose items are all known and in stock in TradeGecko, at list price, goes as finalized (ready to ship); others go as drafts for review. Off: orders go as active.", input: "boolean" },
  autoFinalizePriceThreshold: { label: "Lowest accepted price", help: "The acceptance rule accepts a line priced at least this share of its price-list price (0.97 = 97 %).", input: "number" },
  cancelPaidOrdersOnVoid: { label: "Void of a paid order", help: "Off: an order voided in TradeGecko is canceled in Medusa only when nothing is captured; a paid one waits in order health for a person. On: paid orders are canceled and refunded too." },
  webhookCheckSchedule: { label: "Webhook check schedule", help: "When the plugin checks that every TradeGecko webhook subscription exists, and re-creates missing ones." },
  rateLimitCheckoutShare: { label: "Calls kept for checkout", help: "Calls of each TradeGecko rate-limit window (300 per 300 s, shared by every process) that background work leaves for checkout stock checks." },
  redisUrl: { label: "Redis for the rate-limit budget", help: "Where every process counts its TradeGecko calls; unset: Postgres." },
  webhookBaseUrl: { label: "Public address for webhooks", help: "This server's public URL, where TradeGecko sends its webhooks; unset: no webhooks." },
}

/** What an option without a value (and without a default) means. */
const WHEN_UNSET: Record<string, string> = {
  clientId: "no OAuth: connect with a privileged token",
  clientSecret: "no OAuth, webhook signatures not checked",
  privilegedToken: "connect from this page",
  syncFromTag: "every product",
  defaultPriceList: "the account's default order price list",
  priceLists: "one price list (above), in its own currency",
  salesChannelId: "the store's default sales channel",
  defaultStockLocationId: "the store's default stock location",
  orderSyncFrom: "every order",
  webhookBaseUrl: "no webhooks: scheduled sync only",
}

const SECRETS = new Set(["clientSecret", "privilegedToken", "redisUrl"])
const DEFAULTS = TradegeckoOptionsSchema.parse({}) as Record<string, unknown>

/** "productSyncSchedule" → "Product sync schedule", for options this table does not know yet. */
function humanize(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
const pad = (n: string) => n.padStart(2, "0")

/** A cron schedule in words: "every hour", "every 5 minutes", "every day at 03:00". */
export function describeSchedule(expr: string): string {
  if (expr === "off") return "off: no scheduled run"
  const parts = expr.trim().split(/\s+/)
  const [sec, min, hour, dom, mon, dow] = parts.length === 6 ? parts : ["0", ...parts]
  const num = (s: string) => /^\d+$/.test(s)
  const step = (s: string) => /^\*\/(\d+)$/.exec(s)?.[1]
  const rest = dom === "*" && mon === "*"
  if (rest && dow === "*" && sec !== "0" && step(sec) && min === "*" && hour === "*") return `every ${step(sec)} seconds`
  if (sec === "0" && rest) {
    if (min === "*" && hour === "*" && dow === "*") return "every minute"
    if (step(min) && hour === "*" && dow === "*") return `every ${step(min)} minutes`
    if (min === "0" && hour === "*" && dow === "*") return "every hour"
    if (num(min) && hour === "*" && dow === "*") return `every hour at minute ${min}`
    if (num(min) && step(hour) && dow === "*") return `every ${step(hour)} hours${min === "0" ? "" : ` at minute ${min}`}`
    if (num(min) && num(hour) && dow === "*") return `every day at ${pad(hour)}:${pad(min)}`
    if (num(min) && num(hour) && num(dow) && Number(dow) < 7) return `every ${WEEKDAYS[Number(dow)]} at ${pad(hour)}:${pad(min)}`
  }
  try {
    return `cron "${expr}", next at ${parseExpression(expr).next().toDate().toISOString().replace("T", " ").slice(0, 16)} UTC`
  } catch {
    return `cron "${expr}"`
  }
}

/** Where an option's value comes from. */
export type ValueSource = "override" | "option" | "default" | "unset"

export interface OptionRow {
  key: string
  label: string
  help: string
  value: unknown
  source: ValueSource
  default_value: unknown
  /** The value in words when it needs them (schedules, unset options). */
  explained: string | null
}

export interface SettingField extends OptionRow {
  input: FieldInput
  choices: Array<{ value: string; label: string }> | null
  unit: string | null
  /** The plugin option (medusa-config) or its default: what "Use the option" returns to. */
  option_value: unknown
  override: unknown
}

function rowOf(key: string, options: Record<string, unknown>, overrides: Record<string, unknown>): OptionRow {
  const meta = OPTION_META[key]
  const option = options[key]
  const overridden = overrides[key] !== undefined && overrides[key] !== null
  const value = overridden ? overrides[key] : option
  const source: ValueSource = overridden ? "override" : option === undefined ? "unset" : key in DEFAULTS && same(option, DEFAULTS[key]) ? "default" : "option"
  const masked = SECRETS.has(key) ? (value ? "•••••• (set)" : undefined) : value
  return {
    key,
    label: meta?.label ?? humanize(key),
    help: meta?.help ?? "",
    value: masked ?? null,
    source,
    default_value: DEFAULTS[key] ?? null,
    explained:
      /Schedule$/.test(key) && typeof value === "string"
        ? describeSchedule(value)
        : value === undefined || value === null
          ? WHEN_UNSET[key] ?? null
          : null,
  }
}

/**
 * Every option (secrets masked, unset ones listed with their default) and the form fields
 * of the run-time overrides, each saying where its value comes from.
 */
export function describeOptions(
  options: TradegeckoOptions,
  overrides: Partial<TradegeckoOptions>
): { options_list: OptionRow[]; fields: SettingField[] } {
  const opts = options as unknown as Record<string, unknown>
  const over = overrides as Record<string, unknown>
  const keys = [...new Set([...Object.keys(OPTION_META), ...Object.keys(opts)])].filter((k) => k !== "database")
  const options_list = keys.map((k) => rowOf(k, opts, over))
  const fields = Object.keys(SettingsUpdateSchema.shape).map((key) => {
    const meta = OPTION_META[key]
    return {
      ...rowOf(key, opts, over),
      input: meta?.input ?? "text",
      choices: meta?.choices ?? null,
      unit: meta?.unit ?? null,
      option_value: opts[key] ?? null,
      override: over[key] ?? null,
    }
  })
  return { options_list, fields }
}
