import type { MedusaContainer } from "@medusajs/framework/types"
import { claimScheduledTick, JOB_WAKE_SCHEDULE, tradegeckoConnected } from "../lib/scheduled-tick"
import { ordersDueForPush } from "../workflows/find-orders-due-for-push"
import { pushOrderToTradegecko } from "../workflows/push-order-to-tradegecko"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { processTradegeckoWebhook, STALE_DELIVERY_MS } from "../workflows/process-tradegecko-webhook"

/**
 * Thin trigger: on each wake-up (once across all instances) pushes the orders that are
 * due — failed ones whose backoff has passed, pushes interrupted by a crash, and orders
 * whose order.placed never reached the plugin — and webhook deliveries whose processing
 * event was lost. Nothing is dropped: a failed order stays failed, visible on the order
 * health page, until a push succeeds.
 */
export default async function retryTradegeckoOrderPushes(container: MedusaContainer) {
  try {
    if (!(await tradegeckoConnected(container))) return
    if (!(await claimScheduledTick(container, "order-retry", JOB_WAKE_SCHEDULE))) return
    for (const orderId of await ordersDueForPush(container)) await pushOrderToTradegecko(container, orderId)
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const stuck = await tradegecko.listTradegeckoWebhookDeliveries(
      { status: "received", created_at: { $lt: new Date(Date.now() - STALE_DELIVERY_MS) } } as never,
      { take: 50, order: { created_at: "ASC" } }
    )
    for (const delivery of stuck) await processTradegeckoWebhook(container, delivery.id)
  } catch (e) {
    // a tick must never crash the scheduler; the next tick tries again
    container.resolve("logger").warn(`TradeGecko order retry tick failed: ${(e as Error).message}`)
  }
}

export const config = {
  name: "tradegecko-retry-order-pushes",
  schedule: JOB_WAKE_SCHEDULE,
}
