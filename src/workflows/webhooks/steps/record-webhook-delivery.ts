import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import type { WebhookNotification } from "./verify-webhook-notification"

/**
 * Records a delivery once: a repeated X-Gecko-Delivery is a duplicate (also when the same
 * delivery arrives twice at once and the other request won the unique index). A database
 * error is thrown, so TradeGecko delivers again (never a false "duplicate").
 * Compensation: the recorded delivery is deleted.
 */
export const recordWebhookDeliveryStep = createStep(
  "record-tradegecko-webhook-delivery",
  async (n: WebhookNotification, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const duplicate = new StepResponse<{ id: string | null; duplicate: boolean }, string | null>(
      { id: null, duplicate: true },
      null
    )
    const [seen] = await tradegecko.listTradegeckoWebhookDeliveries({ delivery_id: n.delivery_id })
    if (seen) return duplicate
    try {
      const row = await tradegecko.createTradegeckoWebhookDeliveries({
        delivery_id: n.delivery_id,
        event: n.event,
        object_id: n.object_id,
        status: "received",
      })
      return new StepResponse<{ id: string | null; duplicate: boolean }, string | null>(
        { id: row.id, duplicate: false },
        row.id
      )
    } catch (e) {
      const [winner] = await tradegecko.listTradegeckoWebhookDeliveries({ delivery_id: n.delivery_id })
      if (!winner) throw e
      return duplicate
    }
  },
  async (id, { container }) => {
    if (!id) return
    await container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).deleteTradegeckoWebhookDeliveries(id)
  }
)
