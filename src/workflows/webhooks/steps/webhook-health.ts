import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { SUBSCRIBED_EVENTS } from "../webhook-events"
import type { ListedTradegeckoWebhooks } from "./list-tradegecko-webhooks"

export interface WebhookHealth {
  event: string
  address: string
  registered: boolean
  tradegecko_webhook_id: number | null
  last_delivery_at: string | null
  last_delivery_status: string | null
}

/** Each subscribed event's health: registered in TradeGecko, and the last delivery received. */
export const webhookHealthStep = createStep(
  "tradegecko-webhook-health",
  async (listed: ListedTradegeckoWebhooks, { container }) => {
    const { address } = listed
    if (!address) return new StepResponse<WebhookHealth[]>([])
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const health: WebhookHealth[] = []
    for (const event of SUBSCRIBED_EVENTS) {
      const hook = listed.hooks.find((w) => w.event === event)
      const [last] = await tradegecko.listTradegeckoWebhookDeliveries(
        { event },
        { order: { created_at: "DESC" }, take: 1 }
      )
      health.push({
        event,
        address,
        registered: Boolean(hook),
        tradegecko_webhook_id: hook?.id ?? null,
        last_delivery_at: last ? new Date(last.created_at).toISOString() : null,
        last_delivery_status: last?.status ?? null,
      })
    }
    return new StepResponse(health)
  }
)
