import type { MedusaContainer } from "@medusajs/framework/types"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { claimTickIfConnected, JOB_WAKE_SCHEDULE } from "../lib/scheduled-tick"
import { ensureTradegeckoWebhooksWorkflow } from "../workflows/webhooks/ensure-tradegecko-webhooks"

/**
 * Thin trigger: with `webhookBaseUrl` set, on each tick of `webhookCheckSchedule` (every
 * 15 minutes by default; once across instances) makes sure TradeGecko holds every
 * subscription, creating the missing ones (never made, deleted in TradeGecko, or dropped
 * after failed deliveries). Runs whatever productSyncSchedule is, "off" included.
 */
export default async function ensureTradegeckoWebhooksJob(container: MedusaContainer) {
  const logger = container.resolve("logger")
  try {
    const { webhookBaseUrl, webhookCheckSchedule } = container
      .resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
      .getOptions()
    if (!webhookBaseUrl || !(await claimTickIfConnected(container, "webhook-check", webhookCheckSchedule))) return
    const { result } = await ensureTradegeckoWebhooksWorkflow(container).run({ input: { register: true } })
    if (!result.created.length) return
    logger.info(
      `TradeGecko webhooks: created the missing subscriptions ${result.created.join(", ")} (${result.webhooks.filter((w) => w.registered).length} of ${result.webhooks.length} registered)`
    )
  } catch (e) {
    logger.warn(`TradeGecko webhook check failed: ${(e as Error).message}`) // a tick must never crash the scheduler
  }
}

export const config = {
  name: "tradegecko-webhook-check",
  schedule: JOB_WAKE_SCHEDULE,
}
