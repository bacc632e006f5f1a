import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { catalogScopeForEvent } from "../lib/webhook-events"
import { applyTradegeckoOrderStatus, ORDER_STATUS_EVENTS, tradegeckoOrderIdForEvent } from "./apply-tradegecko-order-status"
import { startCatalogSync } from "./sync-tradegecko-catalog"

/** Event the webhook route emits once a delivery is recorded; workers process it. */
export const WEBHOOK_RECEIVED_EVENT = "tradegecko.webhook.received"
/** A delivery still "received" after this long lost its event (crash): the retry job processes it. */
export const STALE_DELIVERY_MS = 2 * 60_000

/**
 * Processes one recorded webhook delivery (on a worker, from the event the route emits):
 * catalog events re-read the affected product or variant; order events apply the
 * order's TradeGecko state to Medusa. The outcome is written on the delivery. A delivery
 * already processed is left alone, so a re-delivered event changes nothing.
 */
export async function processTradegeckoWebhook(container: MedusaContainer, deliveryRowId: string) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [delivery] = await tradegecko.listTradegeckoWebhookDeliveries({ id: deliveryRowId })
  if (!delivery || delivery.status !== "received") return delivery ?? null
  const { event, object_id } = delivery

  if (ORDER_STATUS_EVENTS.has(event)) {
    try {
      const orderId = await tradegeckoOrderIdForEvent(tradegecko.getClient(), event, object_id)
      const r = orderId ? await applyTradegeckoOrderStatus(container, orderId) : { applied: false, changes: [], reason: "no order" }
      return tradegecko.updateTradegeckoWebhookDeliveries({ id: delivery.id, status: r.applied ? "processed" : "ignored", error: r.applied ? null : r.reason ?? null })
    } catch (e) {
      return tradegecko.updateTradegeckoWebhookDeliveries({ id: delivery.id, status: "failed", error: (e as Error).message })
    }
  }
  const scope = catalogScopeForEvent(event, object_id)
  if (!scope) return tradegecko.updateTradegeckoWebhookDeliveries({ id: delivery.id, status: "ignored" })
  const { runId, done } = startCatalogSync(container, { trigger: "webhook", dryRun: false, scope })
  try {
    await done
    return tradegecko.updateTradegeckoWebhookDeliveries({ id: delivery.id, status: "processed", run_id: runId })
  } catch (e) {
    return tradegecko.updateTradegeckoWebhookDeliveries({ id: delivery.id, status: "failed", run_id: runId, error: (e as Error).message })
  }
}

/** Deliveries still "received" long after they arrived: their processing event was lost. */
export async function webhookDeliveriesLeftBehind(container: MedusaContainer, now = new Date(), limit = 50): Promise<string[]> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const stuck = await tradegecko.listTradegeckoWebhookDeliveries(
    { status: "received", created_at: { $lt: new Date(now.getTime() - STALE_DELIVERY_MS) } } as never,
    { take: limit, order: { created_at: "ASC" } }
  )
  return stuck.map((d) => d.id)
}
