import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"

export interface TradegeckoWebhookSubscription {
  id: number
  event: string
  address: string
}

export interface ListedTradegeckoWebhooks {
  /** `<webhookBaseUrl>/hooks/tradegecko`; null without `webhookBaseUrl` (no subscriptions then). */
  address: string | null
  /** TradeGecko's webhooks pointing at this store. */
  hooks: TradegeckoWebhookSubscription[]
}

/** Reads the store's webhook subscriptions in TradeGecko (one call); nothing without `webhookBaseUrl`. */
export const listTradegeckoWebhooksStep = createStep("list-tradegecko-webhooks", async (_: void, { container }) => {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const { webhookBaseUrl } = tradegecko.getOptions()
  if (!webhookBaseUrl) return new StepResponse<ListedTradegeckoWebhooks>({ address: null, hooks: [] })
  const address = `${webhookBaseUrl}/hooks/tradegecko`
  const all = await tradegecko.getClient().webhooks.all({})
  const hooks = all
    .filter((w) => w.address === address)
    .map((w) => ({ id: Number(w.id), event: String(w.event), address }))
  return new StepResponse<ListedTradegeckoWebhooks>({ address, hooks })
})
