import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { refreshCartStockWorkflow } from "../workflows/checkout/refresh-cart-stock"

/** Thin trigger: a cart entering checkout (cart.updated) gets its stale TradeGecko stock refreshed. */
export default async function refreshStockOnCheckout({ event, container }: SubscriberArgs<{ id: string }>) {
  await refreshCartStockWorkflow(container)
    .run({ input: { cart_id: event.data.id } })
    .catch((e: Error) =>
      container.resolve("logger").warn(`TradeGecko stock refresh for cart ${event.data.id} failed: ${e.message}`)
    )
}

export const config: SubscriberConfig = {
  event: "cart.updated",
  context: { subscriberId: "tradegecko-refresh-stock-on-checkout" },
}
