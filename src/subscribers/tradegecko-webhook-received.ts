import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { processTradegeckoWebhookWorkflow } from "../workflows/webhooks/process-tradegecko-webhook"
import { WEBHOOK_RECEIVED_EVENT } from "../workflows/webhooks/webhook-events"

/** Thin trigger: a recorded TradeGecko webhook delivery is processed where events run (the workers). */
export default async function processTradegeckoWebhookSubscriber({ event, container }: SubscriberArgs<{ id: string }>) {
  await processTradegeckoWebhookWorkflow(container).run({ input: { id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: WEBHOOK_RECEIVED_EVENT,
  context: { subscriberId: "tradegecko-process-webhook" },
}
