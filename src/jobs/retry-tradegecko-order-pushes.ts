import type { MedusaContainer } from "@medusajs/framework/types"
import { claimScheduledTick, JOB_WAKE_SCHEDULE, tradegeckoConnected } from "../lib/scheduled-tick"
import { ordersDueForPush } from "../workflows/find-orders-due-for-push"
import { pushOrderToTradegecko } from "../workflows/push-order-to-tradegecko"

/**
 * Thin trigger: on each wake-up (once across all instances) pushes the orders that are
 * due — failed ones whose backoff has passed, pushes interrupted by a crash, and orders
 * whose order.placed never reached the plugin. Nothing is dropped: a failed order stays
 * failed, visible on the order health page, until a push succeeds.
 */
export default async function retryTradegeckoOrderPushes(container: MedusaContainer) {
  try {
    if (!(await tradegeckoConnected(container))) return
    if (!(await claimScheduledTick(container, "order-retry", JOB_WAKE_SCHEDULE))) return
    for (const orderId of await ordersDueForPush(container)) await pushOrderToTradegecko(container, orderId)
  } catch (e) {
    // a tick must never crash the scheduler; the next tick tries again
    container.resolve("logger").warn(`TradeGecko order retry tick failed: ${(e as Error).message}`)
  }
}

export const config = {
  name: "tradegecko-retry-order-pushes",
  schedule: JOB_WAKE_SCHEDULE,
}
