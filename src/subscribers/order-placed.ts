import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { pushOrderToTradegecko } from "../workflows/orders/push-order-to-tradegecko"

/** Thin trigger: every placed order goes to TradeGecko at once (failures are kept and retried). */
export default async function pushOrderOnPlaced({ event, container }: SubscriberArgs<{ id: string }>) {
  await pushOrderToTradegecko(container, event.data.id)
}

export const config: SubscriberConfig = {
  event: "order.placed",
  context: { subscriberId: "tradegecko-push-order-on-placed" },
}
