import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { forwardOrderActionToTradegeckoWorkflow } from "../workflows/orders/forward-order-action-to-tradegecko"

/** Thin trigger: a canceled Medusa order voids its TradeGecko order (recorded first, retried until TradeGecko has it). */
export default async function forwardOrderCanceled({ event, container }: SubscriberArgs<{ id: string }>) {
  await forwardOrderActionToTradegeckoWorkflow(container).run({ input: { orderId: event.data.id, action: "void" } })
}

export const config: SubscriberConfig = {
  event: "order.canceled",
  context: { subscriberId: "tradegecko-forward-order-canceled" },
}
