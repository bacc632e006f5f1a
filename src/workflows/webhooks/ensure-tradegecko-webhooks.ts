import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { listTradegeckoWebhooksStep } from "./steps/list-tradegecko-webhooks"
import { registerTradegeckoWebhooksStep } from "./steps/register-tradegecko-webhooks"
import { webhookHealthStep } from "./steps/webhook-health"

export const ensureTradegeckoWebhooksWorkflowId = "ensure-tradegecko-webhooks"

export interface EnsureTradegeckoWebhooksInput {
  /** Create the missing subscriptions (false: only report). */
  register: boolean
}

/**
 * With `webhookBaseUrl` set, makes sure TradeGecko has one subscription per subscribed
 * event (webhook-events.ts) pointing at `<webhookBaseUrl>/hooks/tradegecko` (creates only
 * the missing ones, with `register`), and reports each one's health: registered, and the
 * last delivery received. `created` names the events subscribed by this run.
 */
export const ensureTradegeckoWebhooksWorkflow = createWorkflow(
  ensureTradegeckoWebhooksWorkflowId,
  (input: EnsureTradegeckoWebhooksInput) => {
    const listed = listTradegeckoWebhooksStep()
    const registered = when("register-missing-tradegecko-webhooks", input, (i) => i.register).then(() =>
      registerTradegeckoWebhooksStep(listed)
    )
    const current = transform(
      { listed, registered },
      ({ listed, registered }) => registered ?? { ...listed, created: [] as string[] }
    )
    const webhooks = webhookHealthStep(current)
    return new WorkflowResponse(
      transform({ current, webhooks }, ({ current, webhooks }) => ({ webhooks, created: current.created }))
    )
  }
)
