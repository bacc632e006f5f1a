import { Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { WEBHOOK_RECEIVED_EVENT } from "../webhook-events"

/**
 * Hands a recorded delivery to the workers through Medusa's event bus (Redis in
 * production) before the receiver answers, so an acknowledged delivery cannot be lost;
 * a delivery whose event could not be sent is picked up by the retry job.
 */
export const emitWebhookReceivedStep = createStep(
  "emit-tradegecko-webhook-received",
  async (input: { id: string; delivery_id: string }, { container }) => {
    try {
      await container.resolve(Modules.EVENT_BUS).emit({ name: WEBHOOK_RECEIVED_EVENT, data: { id: input.id } })
    } catch (e) {
      container
        .resolve("logger")
        .warn(`TradeGecko webhook ${input.delivery_id}: queued for the retry job (${(e as Error).message})`)
    }
    return new StepResponse(null)
  }
)
