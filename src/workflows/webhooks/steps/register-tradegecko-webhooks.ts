import { randomUUID } from "node:crypto"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { SUBSCRIBED_EVENTS } from "../webhook-events"
import type { ListedTradegeckoWebhooks, TradegeckoWebhookSubscription } from "./list-tradegecko-webhooks"

/**
 * Creates the missing subscriptions: one TradeGecko webhook per subscribed event of the
 * event table, pointing at the store. Returns the subscriptions afterwards and the events
 * created. Compensation: the webhooks it created are deleted in TradeGecko.
 */
export const registerTradegeckoWebhooksStep = createStep(
  "register-tradegecko-webhooks",
  async (listed: ListedTradegeckoWebhooks, { container }) => {
    const { address } = listed
    const hooks = [...listed.hooks]
    const created: TradegeckoWebhookSubscription[] = []
    if (!address) return new StepResponse({ ...listed, created: [] as string[] }, [] as number[])
    const client = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).getClient()
    for (const event of SUBSCRIBED_EVENTS) {
      if (hooks.some((w) => w.event === event)) continue
      // The key is new for each attempt (the client reuses it for its own retries): a fixed key
      // would make TradeGecko replay the first creation for 24 h and create nothing.
      const hook = await client.webhooks.create(
        { event, address },
        { idempotencyKey: `tg-webhook-${event}-${randomUUID()}` }
      )
      const made = { id: Number(hook.id), event, address }
      created.push(made)
      hooks.push(made)
    }
    return new StepResponse(
      { address, hooks, created: created.map((w) => w.event) },
      created.map((w) => w.id)
    )
  },
  async (createdIds, { container }) => {
    if (!createdIds?.length) return
    const client = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).getClient()
    for (const id of createdIds) await client.webhooks.delete(id)
  }
)
