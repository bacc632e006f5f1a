/** Small, pure helpers shared by the admin routes (no container, no I/O). */
import { SECRET_OPTIONS } from "../../../modules/tradegecko/options"

export type VariantRuleKind =
  "archived" | "not_managed" | "keep_selling" | "max_online" | "stock" | "unknown" | "not_linked"

interface TradegeckoVariantRuleInput {
  status?: string | null
  manage_stock?: boolean | null
  keep_selling?: boolean | null
  max_online?: string | number | null
}

/**
 * The stock rule that decides a variant's online stock, in the words the widget shows
 * (same precedence as mapTradegeckoProduct: archived, not managed, keep selling, cap).
 */
export function describeVariantRule(
  tg: TradegeckoVariantRuleInput | undefined,
  productKeepsSelling: boolean,
  allowBackorder: boolean
): { kind: VariantRuleKind; text: string } {
  if (!tg) {
    return {
      kind: "unknown",
      text: allowBackorder ? "Sells past zero (rule not read from TradeGecko)" : "Rule not read from TradeGecko",
    }
  }
  if (tg.status === "archived") return { kind: "archived", text: "Archived in TradeGecko: cannot be bought" }
  if (tg.manage_stock === false)
    return { kind: "not_managed", text: "Stock not managed in TradeGecko: keeps selling, stock 0" }
  if (productKeepsSelling) return { kind: "keep_selling", text: "Keep selling: sells past zero" }
  const cap =
    tg.max_online === null || tg.max_online === undefined || tg.max_online === "" ? null : Number(tg.max_online)
  if (cap !== null && Number.isFinite(cap))
    return { kind: "max_online", text: `Online stock capped at ${Math.max(0, Math.floor(cap))} (max_online)` }
  return { kind: "stock", text: "Available stock (on hand − committed)" }
}

/** TradeGecko's own product page, only for the real API (the sandbox has no web app). */
export function tradegeckoProductUrl(baseUrl: string, productId: number): string | null {
  return /^https:\/\/api\.tradegecko\.com$/i.test(baseUrl) ? `https://go.tradegecko.com/products/${productId}` : null
}

/** Options as the settings page shows them: secrets replaced by whether they are set. */
export function maskOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(options)) {
    if (key === "database") continue
    out[key] = SECRET_OPTIONS.has(key) ? (value ? "•••••• (set)" : null) : value
  }
  return out
}

/**
 * Where TradeGecko sends the browser back after consent: this server's public URL
 * (webhookBaseUrl, when set) or the host the admin called. It must equal the redirect
 * URI registered with the TradeGecko application.
 */
export function oauthRedirectUri(
  publicBaseUrl: string | undefined,
  req: { protocol: string; get(name: string): string | undefined }
): string {
  const base = publicBaseUrl ?? `${req.protocol}://${req.get("host")}`
  return `${base.replace(/\/+$/, "")}/tradegecko/oauth/callback`
}

/** What a catalog run stores per record: its change keys and stock (variant → location → [from, to]). */
export type RunItemChanges =
  { changes?: string[]; stock?: Record<string, Record<string, [number | null, number]>> } | string[]

/** A planner change key in the merchant's words. */
const CHANGE_WORDS: Record<string, string> = {
  created: "created from TradeGecko",
  details: "product details (title, description, options, SKUs or prices)",
  "linked by SKU": "linked to the existing Medusa product by SKU",
}

/** One stock change of a run record, naming the variant and the location. */
export interface StockChangeRow {
  tradegecko_variant_id: number
  variant: string | null
  location_id: string
  location: string | null
  from: number | null
  to: number
}

/**
 * A run record's changes for the admin: `change_text` (what changed besides stock, in
 * words) and `stock_changes` (one row per variant and location, named, from → to).
 */
export function describeRunItem(
  changes: RunItemChanges | null | undefined,
  variantName: Map<string, string | null>,
  locationName: Map<string, string>
): { change_text: string | null; stock_changes: StockChangeRow[] } {
  const keys = Array.isArray(changes) ? changes : (changes?.changes ?? [])
  const stock = Array.isArray(changes) ? {} : (changes?.stock ?? {})
  const stock_changes: StockChangeRow[] = Object.entries(stock).flatMap(([variantId, byLocation]) =>
    Object.entries(byLocation ?? {}).map(([location_id, [from, to]]) => ({
      tradegecko_variant_id: Number(variantId),
      variant: variantName.get(variantId) ?? null,
      location_id,
      location: locationName.get(location_id) ?? null,
      from,
      to,
    }))
  )
  const words = keys.filter((k) => k !== "stock").map((k) => CHANGE_WORDS[k] ?? k)
  if (keys.includes("stock") && !stock_changes.length) words.push("stock")
  return { change_text: words.length ? words.join(", ") : null, stock_changes }
}

/** A Medusa product as Force sync compares it before and after. */
export interface ProductSnapshot {
  id: string
  title: string | null
  description: string | null
  status: string | null
  variants: Array<{
    id: string
    title: string | null
    sku: string | null
    options?: Array<{ value: string }> | null
    prices?: Array<{ amount: number | string; currency_code: string }> | null
  }> | null
}

const money = (n: number | string) => {
  const v = Number(n)
  return Number.isInteger(v) ? String(v) : v.toFixed(2)
}

/**
 * What a Force sync changed, in words, from the product before and after:
 * "title", "description", "price M 50 → 55", "new variant XL", "hidden: nothing to sell",
 * "stock S 18 → 7" (variant named when the product has several; location when several).
 */
export function describeProductChanges(
  before: ProductSnapshot | null,
  after: ProductSnapshot | null,
  o: {
    stock: Array<{ tradegecko_variant_id: number; location_id: string; from: number | null; to: number }>
    variantOf: Map<number, string>
    locationName: Map<string, string>
    keys: string[]
  }
): string[] {
  const words: string[] = []
  if (!before || !after) return o.keys.filter((k) => k !== "stock").map((k) => CHANGE_WORDS[k] ?? k)
  const variants = after.variants ?? []
  const several = variants.length > 1
  // A variant by its option values ("S", "M / Red"), else its title or SKU.
  const nameOf = (v: ProductSnapshot["variants"] extends Array<infer V> | null ? V | undefined : never) =>
    v
      ? (v.options ?? [])
          .map((o) => o.value)
          .filter(Boolean)
          .join(" / ") ||
        v.title ||
        v.sku ||
        "variant"
      : "variant"
  if (o.keys.includes("linked by SKU")) words.push(CHANGE_WORDS["linked by SKU"])
  if ((before.title ?? "") !== (after.title ?? "")) words.push("title")
  if ((before.description ?? "") !== (after.description ?? "")) words.push("description")
  const currencies = new Set(variants.flatMap((v) => (v.prices ?? []).map((p) => p.currency_code)))
  for (const v of variants) {
    const old = (before.variants ?? []).find((b) => b.id === v.id)
    const label = several ? ` ${nameOf(v)}` : ""
    if (!old) {
      words.push(`new variant ${nameOf(v)}`)
      continue
    }
    if ((old.sku ?? "") !== (v.sku ?? "")) words.push(`SKU${label} ${old.sku ?? "none"} → ${v.sku ?? "none"}`)
    if (several && (old.title ?? "") !== (v.title ?? ""))
      words.push(`variant ${old.title ?? ""} renamed ${v.title ?? ""}`)
    for (const p of v.prices ?? []) {
      const was = (old.prices ?? []).find((x) => x.currency_code === p.currency_code)
      if (was && Number(was.amount) === Number(p.amount)) continue
      const cur = currencies.size > 1 ? ` ${p.currency_code.toUpperCase()}` : ""
      words.push(`price${label}${cur} ${was ? money(was.amount) : "none"} → ${money(p.amount)}`)
    }
  }
  for (const old of before.variants ?? [])
    if (!variants.some((v) => v.id === old.id)) words.push(`variant ${nameOf(old)} removed`)
  if (before.status !== after.status)
    words.push(
      after.status === "draft"
        ? "hidden: nothing to sell"
        : after.status === "published"
          ? "shown again: stock returned"
          : `status ${after.status}`
    )
  const locations = new Set(o.stock.map((s) => s.location_id))
  for (const s of o.stock) {
    const v = variants.find((x) => x.id === o.variantOf.get(s.tradegecko_variant_id))
    const label = several ? ` ${v ? nameOf(v) : `TradeGecko variant ${s.tradegecko_variant_id}`}` : ""
    const at = locations.size > 1 ? ` at ${o.locationName.get(s.location_id) ?? s.location_id}` : ""
    words.push(`stock${label}${at} ${s.from ?? "none"} → ${s.to}`)
  }
  return words
}
