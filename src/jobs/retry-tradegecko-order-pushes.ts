import type { MedusaContainer } from "@medusajs/framework/types"
import { claimTickIfConnected, JOB_WAKE_SCHEDULE } from "../lib/scheduled-tick"
import { ordersDueForPush } from "../workflows/find-orders-due-for-push"
import { pushOrderToTradegecko } from "../workflows/push-order-to-tradegecko"
import { processTradegeckoWebhook, webhookDeliveriesDue, webhookDeliveriesLeftBehind } from "../workflows/process-tradegecko-webhook"
import { orderStatusChangesDue, sendOrderStatusChange } from "../workflows/sync-order-status-to-tradegecko"

/**
 * Thin trigger: on each wake-up (once across all instances) does the order work that is
 * due. Nothing is dropped: what failed stays failed, visible on the order health page,
 * until it succeeds (or, for status changes, a person dismisses it).
 */
export default async function retryTradegeckoOrderPushes(container: MedusaContainer) {
  try {
    if (!(await claimTickIfConnected(container, "order-retry", JOB_WAKE_SCHEDULE))) return
    await runDueOrderWork(container)
  } catch (e) {
    // a tick must never crash the scheduler; the next tick tries again
    container.resolve("logger").warn(`TradeGecko order retry tick failed: ${(e as Error).message}`)
  }
}

/**
 * The job's work, in order: pushes due (failed ones whose backoff has passed, pushes
 * interrupted by a crash, orders whose order.placed never reached the plugin); Medusa →
 * TradeGecko status changes due (pay/void that failed or were never attempted);
 * webhook deliveries whose processing event was lost; failed deliveries and reconciled
 * orders whose backoff has passed. Each item keeps its own outcome.
 */
export async function runDueOrderWork(container: MedusaContainer) {
  for (const orderId of await ordersDueForPush(container)) await pushOrderToTradegecko(container, orderId)
  for (const id of await orderStatusChangesDue(container)) await sendOrderStatusChange(container, id)
  for (const id of await webhookDeliveriesLeftBehind(container)) await processTradegeckoWebhook(container, id)
  for (const id of await webhookDeliveriesDue(container)) await processTradegeckoWebhook(container, id, { retry: true })
}

export const config = {
  name: "tradegecko-retry-order-pushes",
  schedule: JOB_WAKE_SCHEDULE,
}
