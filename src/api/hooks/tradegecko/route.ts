import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import {
  parseWebhookNotification,
  verifyWebhookSignature,
  WEBHOOK_DELIVERY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from "../../../modules/tradegecko/client"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { Modules } from "@medusajs/framework/utils"
import { WEBHOOK_RECEIVED_EVENT, webhookEvent } from "../../../workflows/webhooks/webhook-events"

/**
 * POST /hooks/tradegecko — TradeGecko webhook receiver.
 * 401 and nothing written when X-Gecko-Signature (base64 HMAC-SHA256 of the raw body
 * with the OAuth application secret) is wrong; a repeated X-Gecko-Delivery is
 * acknowledged and ignored; otherwise the delivery is recorded, handed to the workers
 * (event tradegecko.webhook.received → processTradegeckoWebhookWorkflow) and answered at once.
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
  // object_id goes to an integer column: a value outside it is no TradeGecko id (was a false "duplicate")
  if (!(notification.object_id >= 1 && notification.object_id <= 2_147_483_647)) {
    res.status(400).json({ type: "invalid_data", message: `Invalid TradeGecko webhook body: object_id ${notification.object_id} out of range` })
    return
  }
  const deliveryId = req.get(WEBHOOK_DELIVERY_HEADER) || `${notification.event}:${notification.object_id}:${notification.timestamp}`
  if (!webhookEvent(notification.event)?.subscribed) {
    // An event the plugin does not subscribe to: acknowledged (TradeGecko would retry
    // anything else for days), and nothing is written.
    res.status(200).json({ received: true, ignored: true })
    return
  }

  const [seen] = await tradegecko.listTradegeckoWebhookDeliveries({ delivery_id: deliveryId })
  if (seen) {
    res.status(200).json({ received: true, duplicate: true })
    return
  }
  let delivery
  try {
    delivery = await tradegecko.createTradegeckoWebhookDeliveries({
      delivery_id: deliveryId,
      event: notification.event,
      object_id: notification.object_id,
      status: "received",
    })
  } catch (e) {
    // Lost a race with the same delivery arriving twice at once: the winner recorded it.
    // Not recorded at all (database error): fail, so TradeGecko delivers again, never a false "duplicate".
    const [winner] = await tradegecko.listTradegeckoWebhookDeliveries({ delivery_id: deliveryId })
    if (!winner) throw e
    res.status(200).json({ received: true, duplicate: true })
    return
  }
  // Handed to the workers through Medusa's event bus (Redis in production) before the
  // answer, so an acknowledged delivery cannot be lost; a delivery whose event never ran is
  // picked up by the retry job.
  try {
    await req.scope.resolve(Modules.EVENT_BUS).emit({ name: WEBHOOK_RECEIVED_EVENT, data: { id: delivery.id } })
  } catch (e) {
    req.scope.resolve("logger").warn(`TradeGecko webhook ${deliveryId}: queued for the retry job (${(e as Error).message})`)
  }
  res.status(200).json({ received: true })
}
