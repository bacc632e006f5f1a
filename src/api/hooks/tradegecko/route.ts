import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import {
  parseWebhookNotification,
  verifyWebhookSignature,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from "../../../modules/tradegecko/client"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { catalogScopeForEvent } from "../../../lib/webhook-events"
import { startCatalogSync } from "../../../workflows/sync-tradegecko-catalog"
import { applyTradegeckoOrderStatus, ORDER_STATUS_EVENTS, tradegeckoOrderIdForEvent } from "../../../workflows/apply-tradegecko-order-status"

/** Background work after the answer: a failure to record its outcome is logged, never left unhandled. */
const logBackgroundFailure = (req: MedusaRequest) => (e: Error) =>
  req.scope.resolve("logger").warn(`TradeGecko webhook: could not record the outcome: ${e.message}`)

/**
 * POST /hooks/tradegecko — TradeGecko webhook receiver.
 * 401 and nothing written when X-Gecko-Signature (base64 HMAC-SHA256 of the raw body
 * with the OAuth application secret) is wrong; a repeated X-Gecko-Delivery is
 * acknowledged and ignored; otherwise answers at once and, in the background,
 * re-reads the affected product (catalog events) or applies the order's TradeGecko
 * state to Medusa (fulfillment, payment, return and order events).
 */
export async function POST(req: MedusaRequest, res: MedusaResponse) {
  const tradegecko = req.scope.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const { clientSecret } = tradegecko.getOptions()
  const raw = (req as MedusaRequest & { rawBody?: Buffer }).rawBody
  const signature = req.get(WEBHOOK_SIGNATURE_HEADER) ?? ""
  if (!clientSecret || !raw || !verifyWebhookSignature(raw, signature, clientSecret)) {
    res.status(401).json({ type: "unauthorized", message: "Invalid X-Gecko-Signature" })
    return
  }
  let notification
  try {
    notification = parseWebhookNotification(JSON.parse(raw.toString("utf8")))
  } catch (e) {
    res.status(400).json({ type: "invalid_data", message: `Invalid TradeGecko webhook body: ${(e as Error).message}` })
    return
  }
  const deliveryId = req.get(WEBHOOK_DELIVERY_HEADER) || `${notification.event}:${notification.object_id}:${notification.timestamp}`

  const [seen] = await tradegecko.listTradegeckoWebhookDeliveries({ delivery_id: deliveryId })
  if (seen) {
    res.status(200).json({ received: true, duplicate: true })
    return
  }
  const scope = catalogScopeForEvent(notification.event, notification.object_id)
  const isOrderStatus = ORDER_STATUS_EVENTS.has(notification.event)
  let delivery
  try {
    delivery = await tradegecko.createTradegeckoWebhookDeliveries({
      delivery_id: deliveryId,
      event: notification.event,
      object_id: notification.object_id,
      status: scope || isOrderStatus ? "received" : "ignored",
    })
  } catch {
    // Lost a race with the same delivery arriving twice at once.
    res.status(200).json({ received: true, duplicate: true })
    return
  }
  res.status(200).json({ received: true })

  if (isOrderStatus) {
    const { event, object_id } = notification
    tradegeckoOrderIdForEvent(tradegecko.getClient(), event, object_id)
      .then((orderId) => (orderId ? applyTradegeckoOrderStatus(req.scope, orderId) : { applied: false, changes: [], reason: "no order" }))
      .then(
        (r) =>
          tradegecko.updateTradegeckoWebhookDeliveries({
            id: delivery.id,
            status: r.applied ? "processed" : "ignored",
            error: r.applied ? null : r.reason ?? null,
          }),
        (e: Error) => tradegecko.updateTradegeckoWebhookDeliveries({ id: delivery.id, status: "failed", error: e.message })
      )
      .catch(logBackgroundFailure(req))
    return
  }
  if (!scope) return
  const { runId, done } = startCatalogSync(req.scope, { trigger: "webhook", dryRun: false, scope })
  done
    .then(
      () => tradegecko.updateTradegeckoWebhookDeliveries({ id: delivery.id, status: "processed", run_id: runId }),
      (e: Error) => tradegecko.updateTradegeckoWebhookDeliveries({ id: delivery.id, status: "failed", run_id: runId, error: e.message })
    )
    .catch(logBackgroundFailure(req))
}
