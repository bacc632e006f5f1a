import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { pushOrderToTradegeckoWorkflow } from "../workflows/orders/push-order-to-tradegecko"

/** Thin trigger: every placed order goes to TradeGecko at once (failures are kept on the order link and retried). */
export default async function pushOrderOnPlaced({ event, container }: SubscriberArgs<{ id: string }>) {
  await pushOrderToTradegeckoWorkflow(container).run({ input: { orderId: event.data.id } })
}

export const config: SubscriberConfig = {
  event: "order.placed",
  context: { subscriberId: "tradegecko-push-order-on-placed" },
}
