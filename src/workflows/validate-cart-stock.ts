import { ContainerRegistrationKeys, getVariantAvailability, MedusaError, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { refreshVariantStock } from "./steps/refresh-variant-stock"

interface CartLike {
  id: string
  sales_channel_id?: string | null
  items?: Array<{ id: string; variant_id?: string | null; quantity: number | string; title?: string | null; product_title?: string | null; variant_title?: string | null }>
}

export interface CartStockCheck {
  refreshed: string[]
  calls: number
  /** Lines that could not be sold as wanted, already fixed in the cart. */
  adjusted: Array<{ line_item_id: string; variant_id: string; wanted: number; available: number; action: "removed" | "lowered" }>
  /** TradeGecko could not be reached; the order went ahead on the last known stock. */
  unreachable?: string
}

const lineName = (i: NonNullable<CartLike["items"]>[number]) =>
  [i.product_title, i.variant_title].filter(Boolean).join(" / ") || i.title || i.variant_id || i.id

/**
 * The checkout stock guard, for completeCartWorkflow.hooks.validate. Re-reads every
 * TradeGecko-linked line whose stock is older than `checkoutFreshnessSeconds` with one
 * batched call, writes it to Medusa, and when a line can no longer be sold in the
 * wanted quantity removes it (or lowers the quantity) and refuses the completion with
 * a message naming each item, so the next attempt succeeds. Fresh carts cost no call.
 *
 * The plugin registers it itself; an app that consumes hooks.validate already sets
 * the `checkoutGuard: false` option and calls this from its own handler:
 *   completeCartWorkflow.hooks.validate(async ({ cart }, { container }) => { await validateCartStock(container, cart); ... })
 */
export async function validateCartStock(container: MedusaContainer, cart: CartLike): Promise<CartStockCheck> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const items = (cart.items ?? []).filter((i) => i.variant_id)
  const result: CartStockCheck = { refreshed: [], calls: 0, adjusted: [] }
  if (!items.length) return result

  try {
    const refresh = await refreshVariantStock(container, { variantIds: items.map((i) => i.variant_id!), forCheckout: true })
    result.refreshed = refresh.refreshed
    result.calls = refresh.calls
  } catch (e) {
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
    return result
  }
  if (!result.refreshed.length) return result

  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: variants } = await query.graph({
    entity: "product_variant",
    fields: ["id", "manage_inventory", "allow_backorder"],
    filters: { id: result.refreshed },
  })
  const limited = (variants as any[]).filter((v) => v.manage_inventory && !v.allow_backorder).map((v) => v.id as string)
  if (!limited.length || !cart.sales_channel_id) return result
  const availability = await getVariantAvailability(query as never, { variant_ids: limited, sales_channel_id: cart.sales_channel_id })

  const messages: string[] = []
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
    const action = left > 0 ? "lowered" : "removed"
    result.adjusted.push({ line_item_id: item.id, variant_id: item.variant_id!, wanted, available: left, action })
    messages.push(
      action === "removed"
        ? `"${lineName(item)}" is sold out and was removed from your cart`
        : `only ${left} of "${lineName(item)}" left, so the quantity was lowered from ${wanted} to ${left}`
    )
  }
  if (!result.adjusted.length) return result

  // Fix the cart through the cart module (the completion holds the cart's workflow lock),
  // so the shopper's next attempt goes through with what is left.
  const carts = container.resolve(Modules.CART)
  const removed = result.adjusted.filter((a) => a.action === "removed").map((a) => a.line_item_id)
  const lowered = result.adjusted.filter((a) => a.action === "lowered").map((a) => ({ id: a.line_item_id, quantity: a.available }))
  if (removed.length) await carts.deleteLineItems(removed)
  if (lowered.length) await carts.updateLineItems(lowered)
  throw new MedusaError(
    MedusaError.Types.NOT_ALLOWED,
    `Some items in your cart are no longer available: ${messages.join("; ")}. Please review your cart and try again.`
  )
}
