import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import type { DeliveryOutcome, WebhookDelivery } from "../../../lib/webhook-deliveries"
import { webhookEvent } from "../webhook-events"
import { applyTradegeckoOrderStatusWorkflow } from "../../orders/apply-tradegecko-order-status"
import { startCatalogSync } from "../../../lib/start-catalog-sync"

/**
 * Runs the handler of a delivery's event (the table in webhook-events.ts): a catalog event
 * re-reads the affected product or variant (a targeted catalog sync run); an order event
 * applies that order's TradeGecko state to Medusa. A failure is an outcome, not an error:
 * it is recorded on the delivery and retried with backoff. Writes nothing itself (the
 * catalog and order workflows it runs own their writes and their undo).
 */
export const handleWebhookDeliveryStep = createStep(
  "handle-tradegecko-webhook-delivery",
  async (
    delivery: Pick<WebhookDelivery, "event" | "object_id">,
    { container }
  ): Promise<StepResponse<DeliveryOutcome>> => {
    const row = webhookEvent(delivery.event)
    if (!row) return new StepResponse({ status: "unhandled" })
    if (row.scope === "order") {
      try {
        const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
        const orderId = await row.orderId(tradegecko.getClient(), delivery.object_id)
        const r = orderId
          ? (await applyTradegeckoOrderStatusWorkflow(container).run({ input: { tradegeckoOrderId: orderId } })).result
          : { applied: false, reason: "no order" }
        return new StepResponse(r.applied ? { status: "processed" } : { status: "ignored", error: r.reason ?? null })
      } catch (e) {
        return new StepResponse({ status: "failed", error: errorMessage(e) })
      }
    }
    const { runId, done } = startCatalogSync(container, {
      trigger: "webhook",
      dryRun: false,
      scope: row.catalogScope(delivery.object_id),
    })
    try {
      await done
      return new StepResponse({ status: "processed", run_id: runId })
    } catch (e) {
      return new StepResponse({ status: "failed", error: errorMessage(e), run_id: runId })
    }
  }
)

const errorMessage = (e: unknown) => (e as Error)?.message ?? String(e)
