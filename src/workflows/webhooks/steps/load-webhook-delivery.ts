import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import type { WebhookDelivery } from "../../../lib/webhook-deliveries"

export interface LoadWebhookDeliveryInput {
  /** The delivery row's id. */
  id: string
  /** Also process a failed delivery (the retry job, the order health page). */
  retry?: boolean
}

/**
 * Reads a recorded delivery and says whether it is to be processed: one still "received",
 * or a failed one on retry. A delivery already processed is left alone, so a re-delivered
 * event changes nothing.
 */
export const loadWebhookDeliveryStep = createStep(
  "load-tradegecko-webhook-delivery",
  async (input: LoadWebhookDeliveryInput, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const [delivery] = await tradegecko.listTradegeckoWebhookDeliveries({ id: input.id })
    const due =
      Boolean(delivery) && (delivery.status === "received" || (Boolean(input.retry) && delivery.status === "failed"))
    return new StepResponse({ delivery: (delivery ?? null) as WebhookDelivery | null, due })
  }
)
