import type { MedusaContainer } from "@medusajs/framework/types"
import { claimTickIfConnected, JOB_WAKE_SCHEDULE } from "../lib/scheduled-tick"
import { ordersDueForPush } from "../workflows/find-orders-due-for-push"
import { pushOrderToTradegecko } from "../workflows/push-order-to-tradegecko"
import { processTradegeckoWebhook, webhookDeliveriesLeftBehind } from "../workflows/process-tradegecko-webhook"

/**
 * Thin trigger: on each wake-up (once across all instances) pushes the orders that are
 * due — failed ones whose backoff has passed, pushes interrupted by a crash, and orders
 * whose order.placed never reached the plugin — and webhook deliveries whose processing
 * event was lost. Nothing is dropped: a failed order stays failed, visible on the order
 * health page, until a push succeeds.
 */
export default async function retryTradegeckoOrderPushes(container: MedusaContainer) {
  try {
    if (!(await claimTickIfConnected(container, "order-retry", JOB_WAKE_SCHEDULE))) return
    for (const orderId of await ordersDueForPush(container)) await pushOrderToTradegecko(container, orderId)
    for (const id of await webhookDeliveriesLeftBehind(container)) await processTradegeckoWebhook(container, id)
  } catch (e) {
    // a tick must never crash the scheduler; the next tick tries again
    container.resolve("logger").warn(`TradeGecko order retry tick failed: ${(e as Error).message}`)
  }
}

export const config = {
  name: "tradegecko-retry-order-pushes",
  schedule: JOB_WAKE_SCHEDULE,
}
