/**
 * The catalog rules, as one pure function: a TradeGecko product with its variants and
 * images in, the Medusa product/variant/stock inputs out. No I/O, no Medusa calls, so
 * every rule is unit-tested in `__tests__/tradegecko-product-to-medusa.spec.ts`.
 *
 * Rules (README "Catalog sync"):
 *  - online stock = available stock summed over the mapped TradeGecko locations,
 *    never below 0 and never above `max_online`;
 *  - `manage_stock: false` → keeps selling (backorders), stock 0;
 *  - `keep_selling` on any variant → every variant of the product sells past zero;
 *  - an archived variant stays but cannot be bought (stock 0, no backorders);
 *  - a product with nothing to sell, or disabled in TradeGecko, is hidden, and shown
 *    again when stock returns / it is enabled, unless the merchant hid it (the caller
 *    tells us who hid it);
 *  - prices come from the chosen price list(s), each in the list's own currency;
 *  - an archived product, or one outside the sync-from tag, is skipped with a reason.
 */
import type { Image, Product, Variant } from "../modules/tradegecko/client"
import { imageUrl, parseDecimal, parseTags } from "../modules/tradegecko/client"

export interface CatalogMappingContext {
  /**
   * The TradeGecko price lists written as Medusa prices, each with its own currency
   * (lower case ISO) — one per currency. Price list ids: "retail", "wholesale", "buy" or a custom id.
   */
  priceLists: Array<{ priceListId: string; currencyCode: string }>
  /** TradeGecko location id → Medusa stock location id. Empty: all locations → defaultStockLocationId. */
  locationMap: Record<string, string>
  /** Medusa stock location receiving stock when the map is empty. */
  defaultStockLocationId: string
  /** Only products carrying this tag are synced. */
  syncFromTag?: string | null
}

export interface MappedVariant {
  tradegeckoVariantId: number
  sku: string | null
  title: string
  barcode: string | null
  options: Record<string, string>
  /** One per price list the variant has a price in (a missing price leaves the existing one alone). */
  prices: Array<{ amount: number; currency_code: string }>
  manage_inventory: true
  allow_backorder: boolean
  /** Absolute stocked quantity per Medusa stock location. */
  stock: Record<string, number>
  archived: boolean
  /** Total online stock (sum of `stock`). */
  onlineStock: number
}

export interface MappedProduct {
  tradegeckoProductId: number
  title: string
  /** Plain text (see htmlToText). */
  description: string | null
  /** TradeGecko's description as it is (HTML), kept in metadata for storefronts that render HTML. */
  descriptionHtml: string | null
  handle: string
  options: Array<{ title: string; values: string[] }>
  tags: string[]
  images: string[]
  variants: MappedVariant[]
  /** Something can be sold: stock > 0 somewhere, or backorders allowed. */
  sellable: boolean
  /** `disabled` in TradeGecko: kept in sync but never published until enabled again. */
  disabled: boolean
}

export type ProductMappingResult = { action: "sync"; product: MappedProduct } | { action: "skip"; reason: string }

const DEFAULT_OPTION = "Default"

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  copy: "©",
  reg: "®",
  trade: "™",
  deg: "°",
  euro: "€",
}

/**
 * TradeGecko descriptions are HTML; Medusa's `description` is plain text (the admin edits
 * it in a text box, Medusa's Next.js starter prints it as text). Paragraphs and headings
 * become blank-line separated text, line breaks and list items new lines, entities are
 * decoded and every tag is dropped. The HTML itself is kept in the product's metadata.
 */
export function htmlToText(html: string | null | undefined): string | null {
  if (!html) return null
  const text = html
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, "")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<li[^>]*>/gi, "\n- ")
    .replace(/<\/(p|div|h[1-6]|ul|ol|table|blockquote)>/gi, "\n\n")
    .replace(/<\/tr>/gi, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (m, code: string) => {
      if (code[0] === "#") {
        const n = code[1].toLowerCase() === "x" ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10)
        return Number.isFinite(n) ? String.fromCodePoint(n) : m
      }
      return ENTITIES[code.toLowerCase()] ?? m
    })
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n[ \t]+/g, "\n")
    .replace(/[ \t]{2,}/g, " ")
    .replace(/\n{3,}/g, "\n\n")
    .trim()
  return text || null
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
}

function optionNames(product: Product): string[] {
  return [product.opt1, product.opt2, product.opt3].map((o) => (o ?? "").trim())
}

/** Option values of one variant, keyed by option title; a product without options gets "Default". */
function variantOptions(product: Product, variant: Variant, fallbackTitle: string): Record<string, string> {
  const names = optionNames(product)
  const values = [variant.opt1, variant.opt2, variant.opt3]
  const out: Record<string, string> = {}
  names.forEach((name, i) => {
    if (name) out[name] = (values[i] ?? "").trim() || "-"
  })
  if (Object.keys(out).length === 0) out[DEFAULT_OPTION] = fallbackTitle
  return out
}

function variantPrice(variant: Variant, priceListId: string): number | null {
  const fromList = variant.variant_prices?.find((p) => String(p.price_list_id) === priceListId)
  const builtIn: Record<string, string | null | undefined> = {
    retail: variant.retail_price,
    wholesale: variant.wholesale_price,
    buy: variant.buy_price,
  }
  const raw = fromList?.value ?? builtIn[priceListId] ?? variant.prices?.[priceListId] ?? null
  return parseDecimal(raw)
}

/** Available stock per TradeGecko location: `available`, else on hand − committed. */
function availableByLocation(variant: Variant): Array<{ locationId: string; available: number }> {
  if (variant.locations && variant.locations.length > 0) {
    return variant.locations.map((l) => {
      const available =
        parseDecimal(l.available) ?? (parseDecimal(l.stock_on_hand) ?? 0) - (parseDecimal(l.committed) ?? 0)
      return { locationId: String(l.location_id), available }
    })
  }
  // Old payloads: only totals. A variant reporting nothing counts as 0.
  const total =
    parseDecimal(variant.available_stock) ??
    (parseDecimal(variant.stock_on_hand) ?? 0) - (parseDecimal(variant.committed_stock) ?? 0)
  return [{ locationId: "*", available: total }]
}

/** Online stock per Medusa location, after the location map and the `max_online` cap. */
export function onlineStock(variant: Variant, ctx: CatalogMappingContext): Record<string, number> {
  const mapped = Object.keys(ctx.locationMap).length > 0
  const stock: Record<string, number> = {}
  if (!mapped) stock[ctx.defaultStockLocationId] = 0
  else for (const loc of Object.values(ctx.locationMap)) stock[loc] = 0

  for (const { locationId, available } of availableByLocation(variant)) {
    const target = mapped ? ctx.locationMap[locationId] : ctx.defaultStockLocationId
    if (!target) continue
    stock[target] += Math.max(0, Math.floor(available))
  }

  const cap = parseDecimal(variant.max_online)
  if (cap !== null) {
    let remaining = Math.max(0, Math.floor(cap))
    for (const loc of Object.keys(stock).sort()) {
      const kept = Math.min(stock[loc], remaining)
      stock[loc] = kept
      remaining -= kept
    }
  }
  return stock
}

export function mapTradegeckoProduct(
  product: Product,
  variants: Variant[],
  images: Image[],
  ctx: CatalogMappingContext
): ProductMappingResult {
  if (product.status === "archived") {
    return { action: "skip", reason: "archived in TradeGecko" }
  }
  const tags = parseTags(product.tags)
  if (ctx.syncFromTag && !tags.some((t) => t.toLowerCase() === ctx.syncFromTag!.toLowerCase())) {
    return { action: "skip", reason: `not tagged "${ctx.syncFromTag}"` }
  }
  const ownVariants = variants
    .filter((v) => v.product_id === product.id)
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.id - b.id)
  if (ownVariants.length === 0) {
    return { action: "skip", reason: "has no variants in TradeGecko" }
  }

  const title = (product.name ?? "").trim() || `TradeGecko product ${product.id}`
  const productKeepsSelling = ownVariants.some((v) => v.keep_selling === true && v.status !== "archived")

  const mappedVariants: MappedVariant[] = ownVariants.map((v) => {
    const archived = v.status === "archived"
    const manageStock = v.manage_stock !== false
    const variantTitle =
      (v.name ?? "").trim() || [v.opt1, v.opt2, v.opt3].filter(Boolean).join(" / ") || v.sku || `Variant ${v.id}`
    let stock = onlineStock(v, ctx)
    if (archived || !manageStock) {
      stock = Object.fromEntries(Object.keys(stock).map((k) => [k, 0]))
    }
    const allowBackorder = !archived && (!manageStock || productKeepsSelling)
    const prices = ctx.priceLists
      .map((l) => ({ amount: variantPrice(v, l.priceListId), currency_code: l.currencyCode }))
      .filter((p): p is { amount: number; currency_code: string } => p.amount !== null)
    return {
      tradegeckoVariantId: v.id,
      sku: v.sku?.trim() || null,
      title: variantTitle,
      barcode: v.upc?.trim() || null,
      options: variantOptions(product, v, variantTitle),
      prices,
      manage_inventory: true,
      allow_backorder: allowBackorder,
      stock,
      archived,
      onlineStock: Object.values(stock).reduce((a, b) => a + b, 0),
    }
  })

  // Options: every title with the distinct values its variants use (Medusa requires
  // each variant's combination to be unique; duplicates get the variant id appended).
  const seen = new Set<string>()
  for (const mv of mappedVariants) {
    let key = JSON.stringify(mv.options)
    if (seen.has(key)) {
      const firstTitle = Object.keys(mv.options)[0]
      mv.options[firstTitle] = `${mv.options[firstTitle]} (${mv.tradegeckoVariantId})`
      key = JSON.stringify(mv.options)
    }
    seen.add(key)
  }
  const optionTitles = Object.keys(mappedVariants[0].options)
  const options = optionTitles.map((t) => ({
    title: t,
    values: [...new Set(mappedVariants.map((mv) => mv.options[t]))],
  }))

  const imageUrls = images
    .filter((i) => i.product_id === product.id)
    .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
    .map((i) => imageUrl(i))
    .filter((u): u is string => Boolean(u))

  return {
    action: "sync",
    product: {
      tradegeckoProductId: product.id,
      title,
      description: htmlToText(product.description),
      descriptionHtml: product.description?.trim() || null,
      handle: `${slugify(title) || "product"}-tg${product.id}`,
      options,
      tags,
      images: [...new Set(imageUrls)],
      variants: mappedVariants,
      sellable: mappedVariants.some((mv) => !mv.archived && (mv.allow_backorder || mv.onlineStock > 0)),
      disabled: product.status === "disabled",
    },
  }
}

/**
 * Publish/hide decision. `hiddenBySync` says whether the last hide was ours; a product
 * the merchant unpublished by hand stays unpublished.
 */
export function nextProductStatus(
  current: "published" | "draft" | "proposed" | "rejected" | null,
  sellable: boolean,
  hiddenBySync: boolean
): { status: "published" | "draft"; hiddenBySync: boolean } | null {
  if (current === null) {
    return sellable ? { status: "published", hiddenBySync: false } : { status: "draft", hiddenBySync: true }
  }
  if (current === "published" && !sellable) return { status: "draft", hiddenBySync: true }
  if (current !== "published" && sellable && hiddenBySync) return { status: "published", hiddenBySync: false }
  return null
}
