import { randomUUID } from "node:crypto"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"

/** The events the plugin subscribes to (one TradeGecko webhook per event). */
export const SUBSCRIBED_EVENTS = [
  "product.create",
  "product.destroy",
  "variant.create",
  "variant.stock_level_update",
  "fulfillment.create",
  "fulfillment.fulfilled",
  "payment.create",
  "fulfillment_return.received",
  "order.finalized",
] as const

export interface WebhookHealth {
  event: string
  address: string
  registered: boolean
  tradegecko_webhook_id: number | null
  last_delivery_at: string | null
  last_delivery_status: string | null
}

/**
 * With `webhookBaseUrl` set, makes sure TradeGecko has one subscription per event
 * pointing at `<webhookBaseUrl>/hooks/tradegecko` (creates only the missing ones), and
 * reports each one's health: registered, and the last delivery received.
 */
export async function ensureTradegeckoWebhooks(container: MedusaContainer, opts: { register: boolean }): Promise<WebhookHealth[]> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const { webhookBaseUrl } = tradegecko.getOptions()
  if (!webhookBaseUrl) return []
  const address = `${webhookBaseUrl}/hooks/tradegecko`
  const client = tradegecko.getClient()
  const existing = await client.webhooks.all({})
  const health: WebhookHealth[] = []
  for (const event of SUBSCRIBED_EVENTS) {
    let hook = existing.find((w) => w.event === event && w.address === address)
    // The key is new for each attempt (the client reuses it for its own retries): a fixed key
    // would make TradeGecko replay the first creation for 24 h and create nothing.
    if (!hook && opts.register) hook = await client.webhooks.create({ event, address }, { idempotencyKey: `tg-webhook-${event}-${randomUUID()}` })
    const [last] = await tradegecko.listTradegeckoWebhookDeliveries({ event }, { order: { created_at: "DESC" }, take: 1 })
    health.push({
      event,
      address,
      registered: Boolean(hook),
      tradegecko_webhook_id: hook?.id ?? null,
      last_delivery_at: last ? new Date(last.created_at).toISOString() : null,
      last_delivery_status: last?.status ?? null,
    })
  }
  return health
}

export const ensureTradegeckoWebhooksStep = createStep(
  "ensure-tradegecko-webhooks",
  async (_: void, { container }) => new StepResponse(await ensureTradegeckoWebhooks(container, { register: true }))
)
