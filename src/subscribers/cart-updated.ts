import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { refreshVariantStock } from "../workflows/checkout/steps/refresh-variant-stock"
import { cartStockLockKey } from "../workflows/checkout/prepare-cart-for-completion"

/**
 * Entering checkout = the cart gets an e-mail or a shipping address (cart.updated).
 * Stale TradeGecko stock of its lines is refreshed here, in a subscriber, so the
 * shopper's request never waits for TradeGecko; completion checks again.
 *
 * Single-flight per cart: a burst of cart.updated events (address, e-mail, shipping
 * method, ...) refreshes once. The refreshes of one cart (and the completion guard) take
 * the same lock; the ones that waited find the stock fresh and make no call.
 */
export default async function refreshStockOnCheckout({ event, container }: SubscriberArgs<{ id: string }>) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: ["id", "email", "shipping_address.id", "items.variant_id"],
    filters: { id: event.data.id },
  })
  const cart = data[0] as any
  if (!cart || (!cart.email && !cart.shipping_address?.id)) return
  const variantIds = (cart.items ?? []).map((i: any) => i.variant_id).filter(Boolean)
  if (!variantIds.length) return
  const locking = container.resolve(Modules.LOCKING)
  await locking
    .execute(cartStockLockKey(cart.id), () => refreshVariantStock(container, { variantIds, forCheckout: true }), { timeout: 30 })
    .catch((e: Error) => container.resolve("logger").warn(`TradeGecko stock refresh for cart ${cart.id} failed: ${e.message}`))
}

export const config: SubscriberConfig = {
  event: "cart.updated",
  context: { subscriberId: "tradegecko-refresh-stock-on-checkout" },
}
