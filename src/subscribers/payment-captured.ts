import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { forwardOrderActionToTradegeckoWorkflow } from "../workflows/orders/forward-order-action-to-tradegecko"

/** Thin trigger: a payment captured in full marks the TradeGecko order paid (recorded first, retried until TradeGecko has it). */
export default async function forwardPaymentCaptured({ event, container }: SubscriberArgs<{ id: string }>) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "payment",
    fields: ["id", "payment_collection.order.id"],
    filters: { id: event.data.id },
  })
  const orderId = (data[0] as any)?.payment_collection?.order?.id
  if (orderId) await forwardOrderActionToTradegeckoWorkflow(container).run({ input: { orderId, action: "pay" } })
}

export const config: SubscriberConfig = {
  event: "payment.captured",
  context: { subscriberId: "tradegecko-forward-payment-captured" },
}
