import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { webhookEvent } from "./webhook-events"
import { verifyWebhookNotificationStep, type WebhookRequest } from "./steps/verify-webhook-notification"
import { recordWebhookDeliveryStep } from "./steps/record-webhook-delivery"
import { emitWebhookReceivedStep } from "./steps/emit-webhook-received"

export const receiveTradegeckoWebhookWorkflowId = "receive-tradegecko-webhook"

export interface ReceivedWebhook {
  /** An event the plugin does not subscribe to: acknowledged (TradeGecko would retry anything else for days), nothing written. */
  ignored?: boolean
  /** A delivery already recorded. */
  duplicate?: boolean
}

/**
 * A TradeGecko webhook delivery (POST /hooks/tradegecko): verify the signature and body →
 * record the delivery once (only for a subscribed event of webhook-events.ts) → hand it to
 * the workers (event tradegecko.webhook.received → processTradegeckoWebhookWorkflow).
 */
export const receiveTradegeckoWebhookWorkflow = createWorkflow(
  receiveTradegeckoWebhookWorkflowId,
  (input: WebhookRequest) => {
    const notification = verifyWebhookNotificationStep(input)
    const subscribed = transform({ notification }, ({ notification }) =>
      Boolean(webhookEvent(notification.event)?.subscribed)
    )
    const recorded = when("record-subscribed-tradegecko-event", { subscribed }, ({ subscribed }) => subscribed).then(
      () => recordWebhookDeliveryStep(notification)
    )
    when("hand-tradegecko-delivery-to-workers", { recorded }, ({ recorded }) => Boolean(recorded?.id)).then(() => {
      emitWebhookReceivedStep(
        transform({ recorded, notification }, ({ recorded, notification }) => ({
          id: recorded!.id!,
          delivery_id: notification.delivery_id,
        }))
      )
    })
    return new WorkflowResponse(
      transform({ subscribed, recorded }, ({ subscribed, recorded }): ReceivedWebhook =>
        !subscribed ? { ignored: true } : recorded?.duplicate ? { duplicate: true } : {}
      )
    )
  }
)
