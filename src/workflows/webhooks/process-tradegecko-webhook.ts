import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { loadWebhookDeliveryStep, type LoadWebhookDeliveryInput } from "./steps/load-webhook-delivery"
import { handleWebhookDeliveryStep } from "./steps/handle-webhook-delivery"
import { recordWebhookOutcomeStep } from "./steps/record-webhook-outcome"

export const processTradegeckoWebhookWorkflowId = "process-tradegecko-webhook"

/**
 * Processes one recorded webhook delivery (on a worker, from the event the receiver emits;
 * or from the retry job): read the delivery → run its event's handler (webhook-events.ts)
 * → write the outcome on it. A delivery already processed is left alone, so a re-delivered
 * event changes nothing. A failed one keeps its reason and is retried with backoff
 * (`retry: true`, from the retry job or the order health page) until it succeeds or a person
 * dismisses it; each failure is logged at warn, the recovery at info.
 *
 * Returns the delivery as it is afterwards (null when there is no such delivery).
 */
export const processTradegeckoWebhookWorkflow = createWorkflow(
  processTradegeckoWebhookWorkflowId,
  (input: LoadWebhookDeliveryInput) => {
    const loaded = loadWebhookDeliveryStep(input)
    const recorded = when("tradegecko-webhook-delivery-due", loaded, (l) => l.due).then(() => {
      const outcome = handleWebhookDeliveryStep(transform({ loaded }, ({ loaded }) => loaded.delivery!))
      return recordWebhookOutcomeStep(
        transform({ loaded, outcome }, ({ loaded, outcome }) => ({ id: loaded.delivery!.id, outcome }))
      )
    })
    return new WorkflowResponse(transform({ loaded, recorded }, ({ loaded, recorded }) => recorded ?? loaded.delivery))
  }
)
