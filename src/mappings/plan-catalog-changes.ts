/**
 * Turns a batch of TradeGecko products into the Medusa writes a sync would make, given
 * what Medusa already holds. Pure: the dry run returns this plan as it is, the real
 * run hands it to Medusa's batchProductsWorkflow and the link/stock steps.
 *
 * Matching: stored TradeGecko ids first, then SKU when it is unique on both sides
 * (links an existing store on its first import), else create. A SKU shared by several
 * TradeGecko variants is never used to match; the outcome names both records.
 */
import { createHash } from "node:crypto"
import type { Image, Product, Variant } from "../modules/tradegecko/client"
import {
  mapTradegeckoProduct,
  nextProductStatus,
  type CatalogMappingContext,
  type MappedProduct,
  type MappedVariant,
} from "./tradegecko-product-to-medusa"

/** What Medusa and the link tables already know about a batch of TradeGecko products (read by the catalog workflow). */
export interface ProductLinkState {
  id: string
  product_id: string
  hidden_by_sync: boolean
  archived: boolean
  content_hash: string | null
}
export interface MedusaProductState {
  id: string
  status: "published" | "draft" | "proposed" | "rejected"
  options: Array<{ id: string; title: string; values: string[] }>
  variants: Array<{ id: string; sku: string | null; inventory_item_id: string | null }>
}
export interface CatalogState {
  productLinks: Record<string, ProductLinkState>
  variantLinks: Record<
    string,
    { id: string; variant_id: string; inventory_item_id: string | null; stock_synced_at: string | null }
  >
  /** Medusa products that are linked or matched, by id. */
  medusaProducts: Record<string, MedusaProductState>
  /** SKU → the Medusa variant carrying it (SKUs are unique in Medusa). */
  skuMatches: Record<string, { variant_id: string; product_id: string }>
  /** Medusa stocked quantity per inventory item and location: `${item}:${location}` → qty. */
  levels: Record<string, number>
  /**
   * SKUs of this batch that other TradeGecko variants, synced in earlier runs, also carry
   * (from the variant links) → every TradeGecko variant id sharing it. A targeted or
   * incremental run sees only part of the catalog; this is how it knows.
   */
  sharedSkus?: Record<string, number[]>
}

export type PlanAction = "create" | "update" | "unchanged" | "skip"

export interface PlannedVariant {
  tradegeckoVariantId: number
  /** Existing Medusa variant (linked or SKU-matched); null when it will be created. */
  variantId: string | null
  inventoryItemId: string | null
  sku: string | null
  stock: Record<string, number>
  /** Stock that differs from Medusa's: location → [before, after]. */
  stockChanges: Record<string, [number | null, number]>
  /** Medusa holds stock read after this run's read: this run's (older) stock is not written. */
  stockFresher?: boolean
}

export interface PlannedProduct {
  tradegeckoProductId: number
  tradegeckoUpdatedAt: string | null
  action: PlanAction
  /** Existing Medusa product, or null when created. */
  productId: string | null
  handle: string | null
  title: string
  contentHash: string | null
  hiddenBySync: boolean
  /** Marks the link archived (archived in TradeGecko). */
  archive: boolean
  status: "published" | "draft" | null
  message: string | null
  changes: string[]
  variants: PlannedVariant[]
}

/** A planned product's outcome as a sync run records it. */
export function outcomeOf(p: PlannedProduct): "created" | "updated" | "unchanged" | "skipped" {
  return p.action === "create"
    ? "created"
    : p.action === "update"
      ? "updated"
      : p.action === "skip"
        ? "skipped"
        : "unchanged"
}

/** A planned product's stock changes as rows (admin answers). */
export function stockChangeRows(p: PlannedProduct) {
  return p.variants.flatMap((v) =>
    Object.entries(v.stockChanges).map(([location_id, [from, to]]) => ({
      tradegecko_variant_id: v.tradegeckoVariantId,
      location_id,
      from,
      to,
    }))
  )
}

export interface CatalogPlan {
  create: any[]
  update: any[]
  /** When the planned stock was read from TradeGecko (ISO); the links are stamped with it. */
  stockReadAt: string | null
  /**
   * Prices of existing variants: only these currencies' base prices (no rules, no price
   * list) are set; the variant's other prices (other currencies, region prices) stay.
   */
  prices: Array<{ variant_id: string; prices: Array<{ amount: number; currency_code: string }> }>
  /** Option values to add to existing products before their variants use them. */
  optionValues: Array<{ product_id: string; product_option_id: string; add: string[] }>
  products: PlannedProduct[]
}

export interface PlanInput {
  products: Product[]
  variants: Variant[]
  images: Image[]
  context: CatalogMappingContext & { salesChannelId: string | null; shippingProfileId: string | null }
  /** SKUs carried by more than one TradeGecko variant → the variant ids sharing it. */
  duplicateSkus: Record<string, number[]>
  /**
   * When the variants' stock was read from TradeGecko (ISO). Stock Medusa got later (a
   * webhook, a checkout refresh) is fresher: it is kept, and this stock is not written.
   */
  stockReadAt?: string | null
}

export function contentHash(p: MappedProduct): string {
  const stable = {
    ...p,
    variants: p.variants.map(({ stock: _s, onlineStock: _o, ...rest }) => rest),
    sellable: undefined,
  }
  return createHash("sha1").update(JSON.stringify(stable)).digest("hex")
}

/** The note a product carries for a SKU its variant shares with other TradeGecko variants. */
export function sharedSkuNote(sku: string, variantIds: Iterable<number>): string {
  const ids = [...new Set(variantIds)].sort((a, b) => a - b)
  return `SKU ${sku} is shared by TradeGecko variants ${ids.join(" and ")}: not used to match, left empty in Medusa`
}

/** Whether a note of a product's message is a sharedSkuNote. */
export const isSharedSkuNote = (note: string) => /^SKU .* is shared by TradeGecko variants/.test(note)

/** A product's message with more notes: each note once, "; " between them; null when there are none. */
export function withNotes(message: string | null | undefined, notes: string[]): string | null {
  const all = [...new Set([...(message ? message.split("; ") : []), ...notes])]
  return all.length ? all.join("; ") : null
}

/** SKUs shared by several TradeGecko variants. */
export function findDuplicateSkus(variants: Variant[]): Record<string, number[]> {
  const bySku = new Map<string, number[]>()
  for (const v of variants) {
    const sku = v.sku?.trim()
    if (!sku) continue
    bySku.set(sku, [...(bySku.get(sku) ?? []), v.id])
  }
  return Object.fromEntries(
    [...bySku].filter(([, ids]) => ids.length > 1).map(([sku, ids]) => [sku, ids.sort((a, b) => a - b)])
  )
}

function variantInput(mv: MappedVariant, variantId: string | null, skuAllowed: boolean) {
  return {
    ...(variantId ? { id: variantId } : {}),
    title: mv.title,
    sku: skuAllowed ? (mv.sku ?? undefined) : undefined,
    barcode: mv.barcode ?? undefined,
    options: mv.options,
    manage_inventory: mv.manage_inventory,
    allow_backorder: mv.allow_backorder,
    // An existing variant's prices are written by the price step, one currency at a time:
    // sending `prices` here would make Medusa delete every other price of the variant.
    ...(variantId ? {} : { prices: mv.prices }),
    metadata: { tradegecko_variant_id: mv.tradegeckoVariantId },
  }
}

function stockChanges(stock: Record<string, number>, itemId: string | null, state: CatalogState) {
  const out: Record<string, [number | null, number]> = {}
  for (const [loc, qty] of Object.entries(stock)) {
    const before = itemId ? (state.levels[`${itemId}:${loc}`] ?? null) : null
    if (before !== qty) out[loc] = [before, qty]
  }
  return out
}

/** Medusa's stock was read from TradeGecko after `readAt`. */
export function isFresher(syncedAt: string | Date | null | undefined, readAt: string | null | undefined): boolean {
  if (!syncedAt || !readAt) return false
  return new Date(syncedAt).getTime() > new Date(readAt).getTime()
}

export function planCatalogChanges(input: PlanInput, state: CatalogState): CatalogPlan {
  // SKUs shared within this batch, or with TradeGecko variants synced in earlier runs.
  const duplicateSkus: Record<string, number[]> = { ...(state.sharedSkus ?? {}) }
  for (const [sku, ids] of Object.entries(input.duplicateSkus)) {
    duplicateSkus[sku] = [...new Set([...(duplicateSkus[sku] ?? []), ...ids])].sort((a, b) => a - b)
  }
  const plan: CatalogPlan = {
    create: [],
    update: [],
    stockReadAt: input.stockReadAt ?? null,
    prices: [],
    optionValues: [],
    products: [],
  }
  const { context } = input

  for (const product of input.products) {
    const key = String(product.id)
    const link = state.productLinks[key]
    const base = {
      tradegeckoProductId: product.id,
      tradegeckoUpdatedAt: product.updated_at ?? null,
      title: product.name ?? `TradeGecko product ${product.id}`,
      contentHash: null,
      hiddenBySync: link?.hidden_by_sync ?? false,
      archive: false,
      status: null,
      changes: [] as string[],
      variants: [] as PlannedVariant[],
    }

    if (link?.archived) {
      plan.products.push({
        ...base,
        action: "skip",
        productId: link.product_id,
        handle: null,
        message: "archived in TradeGecko; no longer synced",
      })
      continue
    }

    const mapped = mapTradegeckoProduct(product, input.variants, input.images, context)
    if (mapped.action === "skip") {
      const archive = product.status === "archived" && Boolean(link)
      plan.products.push({
        ...base,
        action: "skip",
        productId: link?.product_id ?? null,
        handle: null,
        archive,
        message: mapped.reason,
      })
      continue
    }
    const mp = mapped.product
    const notes: string[] = []
    const skuUsable = (mv: MappedVariant) => {
      if (!mv.sku) return false
      const shared = duplicateSkus[mv.sku]
      if (shared) {
        notes.push(sharedSkuNote(mv.sku, shared))
        return false
      }
      return true
    }
    // Every run says which SKUs are shared, also when the product is otherwise unchanged.
    mp.variants.forEach(skuUsable)

    // Which Medusa product is this? Link first, then unique SKU.
    let productId = link?.product_id ?? null
    let matchedBySku = false
    if (!productId) {
      const matchedProducts = new Set<string>()
      for (const mv of mp.variants) {
        if (mv.sku && !duplicateSkus[mv.sku] && state.skuMatches[mv.sku])
          matchedProducts.add(state.skuMatches[mv.sku].product_id)
      }
      if (matchedProducts.size > 1) {
        plan.products.push({
          ...base,
          action: "skip",
          productId: null,
          handle: null,
          message: `its SKUs match variants of several Medusa products (${[...matchedProducts].join(", ")}); link them by hand`,
        })
        continue
      }
      productId = [...matchedProducts][0] ?? null
      matchedBySku = productId !== null
    }

    const existing = productId ? state.medusaProducts[productId] : undefined
    if (productId && !existing) {
      plan.products.push({
        ...base,
        action: "skip",
        productId,
        handle: null,
        message: `linked Medusa product ${productId} no longer exists`,
      })
      continue
    }

    const next = nextProductStatus(existing?.status ?? null, mp.sellable && !mp.disabled, link?.hidden_by_sync ?? false)
    const hiddenWhy = mp.disabled ? "hidden: disabled in TradeGecko" : "hidden: nothing to sell"
    const hash = contentHash(mp)

    const plannedVariants: PlannedVariant[] = mp.variants.map((mv) => {
      const variantLink = state.variantLinks[String(mv.tradegeckoVariantId)]
      const linkedId = variantLink?.variant_id
      const fresher = isFresher(variantLink?.stock_synced_at, input.stockReadAt)
      const skuMatch = mv.sku && !duplicateSkus[mv.sku] ? state.skuMatches[mv.sku] : undefined
      const variantId = linkedId ?? (skuMatch && skuMatch.product_id === productId ? skuMatch.variant_id : null)
      const itemId =
        existing?.variants.find((v) => v.id === variantId)?.inventory_item_id ??
        state.variantLinks[String(mv.tradegeckoVariantId)]?.inventory_item_id ??
        null
      return {
        tradegeckoVariantId: mv.tradegeckoVariantId,
        variantId,
        inventoryItemId: itemId,
        sku: mv.sku,
        stock: fresher ? {} : mv.stock,
        stockChanges: fresher ? {} : stockChanges(mv.stock, itemId, state),
        ...(fresher ? { stockFresher: true } : {}),
      }
    })
    const stockChanged = plannedVariants.some((v) => Object.keys(v.stockChanges).length > 0)

    if (!existing) {
      plan.create.push({
        title: mp.title,
        handle: mp.handle,
        description: mp.description ?? undefined,
        status: next?.status ?? "draft",
        options: mp.options,
        images: mp.images.map((url) => ({ url })),
        ...(context.salesChannelId ? { sales_channels: [{ id: context.salesChannelId }] } : {}),
        ...(context.shippingProfileId ? { shipping_profile_id: context.shippingProfileId } : {}),
        metadata: { tradegecko_product_id: mp.tradegeckoProductId, tradegecko_description_html: mp.descriptionHtml },
        variants: mp.variants.map((mv) => variantInput(mv, null, skuUsable(mv))),
      })
      plan.products.push({
        ...base,
        action: "create",
        productId: null,
        handle: mp.handle,
        title: mp.title,
        contentHash: hash,
        hiddenBySync: next?.hiddenBySync ?? false,
        status: next?.status ?? "draft",
        message: withNotes(null, notes),
        changes: ["created", ...(next?.status === "draft" ? [hiddenWhy] : [])],
        variants: plannedVariants,
      })
      continue
    }

    // Existing products keep their option records; missing values are added to them.
    const missingOption = mp.options.find((o) => !existing.options.some((e) => e.title === o.title))
    if (missingOption) {
      plan.products.push({
        ...base,
        action: "skip",
        productId: existing.id,
        handle: null,
        message: `Medusa product ${existing.id} has no option "${missingOption.title}" (it has ${existing.options.map((o) => `"${o.title}"`).join(", ") || "none"}); add it by hand`,
      })
      continue
    }
    const optionValues = mp.options
      .map((o) => {
        const e = existing.options.find((x) => x.title === o.title)!
        const add = o.values.filter((v) => !e.values.includes(v))
        return add.length ? { product_id: existing.id, product_option_id: e.id, add } : null
      })
      .filter((x): x is { product_id: string; product_option_id: string; add: string[] } => x !== null)

    const contentChanged = hash !== link?.content_hash || matchedBySku
    const changes: string[] = []
    if (matchedBySku) changes.push("linked by SKU")
    if (contentChanged && !matchedBySku) changes.push("details")
    if (next) changes.push(next.status === "draft" ? hiddenWhy : "shown again: stock returned")
    if (stockChanged) changes.push("stock")

    if (contentChanged || next) {
      const linkedVariantIds = new Set(plannedVariants.map((v) => v.variantId).filter(Boolean))
      const untouched = existing.variants.filter((v) => !linkedVariantIds.has(v.id)).map((v) => ({ id: v.id }))
      plan.optionValues.push(...optionValues)
      if (contentChanged) {
        mp.variants.forEach((mv, i) => {
          const id = plannedVariants[i].variantId
          if (id && mv.prices.length) plan.prices.push({ variant_id: id, prices: mv.prices })
        })
      }
      plan.update.push({
        id: existing.id,
        ...(contentChanged
          ? {
              title: mp.title,
              description: mp.description ?? undefined,
              metadata: {
                tradegecko_product_id: mp.tradegeckoProductId,
                tradegecko_description_html: mp.descriptionHtml,
              },
              variants: [
                ...mp.variants.map((mv, i) => variantInput(mv, plannedVariants[i].variantId, skuUsable(mv))),
                ...untouched,
              ],
            }
          : {}),
        ...(next ? { status: next.status } : {}),
      })
    }
    plan.products.push({
      ...base,
      action: changes.length ? "update" : "unchanged",
      productId: existing.id,
      handle: null,
      title: mp.title,
      contentHash: hash,
      hiddenBySync: next ? next.hiddenBySync : (link?.hidden_by_sync ?? false),
      status: next?.status ?? null,
      message: withNotes(null, notes),
      changes,
      variants: plannedVariants,
    })
  }
  return plan
}
