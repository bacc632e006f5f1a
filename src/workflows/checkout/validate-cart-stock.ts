import { ContainerRegistrationKeys, getVariantAvailability, MedusaError } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../../modules/tradegecko"
import type TradegeckoModuleService from "../../modules/tradegecko/service"
import { refreshVariantStock } from "./steps/refresh-variant-stock"

export interface CartLike {
  id: string
  sales_channel_id?: string | null
  items?: Array<{ id: string; variant_id?: string | null; quantity: number | string; title?: string | null; product_title?: string | null; variant_title?: string | null }>
}

/** A cart line that cannot be sold in the wanted quantity. */
export interface CartStockShortage {
  line_item_id: string
  variant_id: string
  /** The item as the shopper sees it ("Product / Variant"). */
  name: string
  wanted: number
  available: number
  /** What fixing the cart does with the line. */
  action: "removed" | "lowered"
}

export interface CartStockCheck {
  /** Linked variants whose stock was stale and has just been re-read from TradeGecko. */
  refreshed: string[]
  /** TradeGecko calls made (0 or 1). */
  calls: number
  /** Lines that cannot be sold as wanted. Nothing in the cart has been changed. */
  shortages: CartStockShortage[]
  /** TradeGecko could not be reached; the order may go ahead on the last known stock. */
  unreachable?: string
}

const lineName = (i: NonNullable<CartLike["items"]>[number]) =>
  [i.product_title, i.variant_title].filter(Boolean).join(" / ") || i.title || i.variant_id || i.id

/**
 * Reads the stock situation of a cart without changing the cart. Re-reads every
 * TradeGecko-linked line whose stock is older than `checkoutFreshnessSeconds` with one
 * batched call and writes it to Medusa (absolute quantities, location map, `max_online`,
 * and Medusa reservations TradeGecko already counts as committed added back, so Medusa's
 * availability is TradeGecko's available stock minus only the orders TradeGecko does not
 * know yet). Then compares each line with Medusa's availability: only the refreshed lines
 * (`compare: "refreshed"`, the completion hook) or every linked line (`"all"`, before
 * completion; a fresh line that looks short is re-read first, so a shortage is always
 * based on stock just read from TradeGecko). Lines that sell past zero (backorders, stock
 * not managed) always pass.
 *
 * TradeGecko unreachable: with `checkoutWhenUnreachable: "refuse"` this throws the
 * store-API error; with `"allow"` it records a failed `stock` run naming the cart and
 * returns `unreachable` (Medusa's own stock check still applies).
 */
export async function checkCartStock(
  container: MedusaContainer,
  cart: CartLike,
  opts: { compare?: "refreshed" | "all" } = {}
): Promise<CartStockCheck> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const items = (cart.items ?? []).filter((i) => i.variant_id)
  const result: CartStockCheck = { refreshed: [], calls: 0, shortages: [] }
  if (!items.length) return result

  const unreachable = async (e: unknown) => {
    const { checkoutWhenUnreachable } = await tradegecko.getSettings()
    const reason = (e as Error).message
    if (checkoutWhenUnreachable === "refuse") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "We could not confirm stock with our warehouse just now, so the order was not placed. Please try again in a moment."
      )
    }
    const now = new Date()
    await tradegecko.createTradegeckoSyncRuns({
      kind: "stock",
      trigger: "checkout",
      status: "failed",
      started_at: now,
      finished_at: now,
      scope: { cart_id: cart.id },
      error: `TradeGecko unreachable at checkout; cart ${cart.id} completed on last known stock: ${reason}`,
    })
    container.resolve("logger").warn(`TradeGecko unreachable at checkout of cart ${cart.id}; allowed on last known stock (${reason})`)
    result.unreachable = reason
  }

  let linked: string[]
  try {
    const refresh = await refreshVariantStock(container, { variantIds: items.map((i) => i.variant_id!), forCheckout: true })
    result.refreshed = refresh.refreshed
    result.calls = refresh.calls
    linked = [...refresh.refreshed, ...refresh.fresh]
  } catch (e) {
    await unreachable(e)
    return result
  }
  const toCompare = opts.compare === "all" ? linked : result.refreshed
  if (!toCompare.length || !cart.sales_channel_id) return result
  result.shortages = await shortagesOf(container, items, toCompare, cart.sales_channel_id)

  // Never take a line out on stock the guard has not just read: a fresh line that looks
  // short (e.g. stock written by another path) is re-read from TradeGecko first.
  const unconfirmed = [...new Set(result.shortages.map((s) => s.variant_id).filter((id) => !result.refreshed.includes(id)))]
  if (unconfirmed.length) {
    try {
      const again = await refreshVariantStock(container, { variantIds: unconfirmed, maxAgeSeconds: 0, forCheckout: true })
      result.refreshed.push(...again.refreshed)
      result.calls += again.calls
    } catch (e) {
      await unreachable(e)
      result.shortages = result.shortages.filter((s) => result.refreshed.includes(s.variant_id))
      return result
    }
    result.shortages = await shortagesOf(container, items, toCompare, cart.sales_channel_id)
  }
  return result
}

/** Lines of `items` (among `variantIds`) that Medusa's availability cannot serve as wanted. */
async function shortagesOf(
  container: MedusaContainer,
  items: NonNullable<CartLike["items"]>,
  variantIds: string[],
  salesChannelId: string
): Promise<CartStockShortage[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "manage_inventory", "allow_backorder"],
    filters: { id: variantIds },
  })
  const limited = (variants as any[]).filter((v) => v.manage_inventory && !v.allow_backorder).map((v) => v.id as string)
  if (!limited.length) return []
  const availability = await getVariantAvailability(query as never, { variant_ids: limited, sales_channel_id: salesChannelId })

  const shortages: CartStockShortage[] = []
  const remaining = new Map(limited.map((id) => [id, Math.max(0, Number(availability[id]?.availability ?? 0))]))
  for (const item of items) {
    const left = remaining.get(item.variant_id!)
    if (left === undefined) continue
    const wanted = Number(item.quantity)
    if (wanted <= left) {
      remaining.set(item.variant_id!, left - wanted)
      continue
    }
    remaining.set(item.variant_id!, 0)
    shortages.push({
      line_item_id: item.id,
      variant_id: item.variant_id!,
      name: lineName(item),
      wanted,
      available: left,
      action: left > 0 ? "lowered" : "removed",
    })
  }
  return shortages
}

/**
 * The checkout stock guard's last check, for completeCartWorkflow.hooks.validate. It
 * never changes the cart: completion has already read the cart and will authorise the
 * payment session's own amount, so a cart changed here would be charged the old total.
 * When a line can no longer be sold it refuses; the store API's completion route fixes
 * the cart (with Medusa's own cart workflows, outside the completion) on the next attempt.
 *
 * The plugin registers it itself; an app that consumes hooks.validate already sets
 * the `checkoutGuard: false` option and calls this from its own handler:
 *   completeCartWorkflow.hooks.validate(async ({ cart }, { container }) => { await validateCartStock(container, cart); ... })
 */
export async function validateCartStock(container: MedusaContainer, cart: CartLike): Promise<CartStockCheck> {
  if (takeRecentlyUnreachable(cart.id)) {
    // The completion route's guard just found TradeGecko unreachable and allowed this cart
    // on the last known stock (recorded once): do not wait for TradeGecko a second time.
    return { refreshed: [], calls: 0, shortages: [], unreachable: "TradeGecko unreachable (checked before completion)" }
  }
  const check = await checkCartStock(container, cart, { compare: "refreshed" })
  if (check.shortages.length) {
    const parts = check.shortages.map((s) =>
      s.action === "removed" ? `"${s.name}" is sold out` : `only ${s.available} of "${s.name}" left (${s.wanted} in your cart)`
    )
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Some items in your cart are no longer available: ${parts.join("; ")}. Please review your cart and try again.`
    )
  }
  return check
}

/* The route guard and the hook run in the same process, one after the other, for one request. */
const recentlyUnreachable = new Map<string, number>()

export function rememberUnreachable(cartId: string, ms = 60_000) {
  const now = Date.now()
  for (const [id, until] of recentlyUnreachable) if (until < now) recentlyUnreachable.delete(id)
  recentlyUnreachable.set(cartId, now + ms)
}

function takeRecentlyUnreachable(cartId: string): boolean {
  const until = recentlyUnreachable.get(cartId)
  recentlyUnreachable.delete(cartId)
  return until !== undefined && until >= Date.now()
}
