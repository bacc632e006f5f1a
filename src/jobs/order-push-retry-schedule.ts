import type { MedusaContainer } from "@medusajs/framework/types"
import { claimTickIfConnected, JOB_WAKE_SCHEDULE } from "../lib/scheduled-tick"
import { findOrdersDueForPushWorkflow } from "../workflows/orders/find-orders-due-for-push"
import { pushOrderToTradegeckoWorkflow } from "../workflows/orders/push-order-to-tradegecko"
import { processTradegeckoWebhookWorkflow } from "../workflows/webhooks/process-tradegecko-webhook"
import { webhookDeliveriesDue, webhookDeliveriesLeftBehind } from "../lib/webhook-deliveries"
import { findOrderStatusChangesDueWorkflow } from "../workflows/orders/find-order-status-changes-due"
import { sendOrderStatusChangeWorkflow } from "../workflows/orders/send-order-status-change"
import { forwardOrderActionToTradegeckoWorkflow } from "../workflows/orders/forward-order-action-to-tradegecko"

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
 * TradeGecko status changes due (pay/void that failed or were never attempted), and
 * captures/cancels whose event was lost before anything was recorded;
 * webhook deliveries whose processing event was lost; failed deliveries and reconciled
 * orders whose backoff has passed. Each item keeps its own outcome.
 */
export async function runDueOrderWork(container: MedusaContainer) {
  const logger = container.resolve("logger")
  // one item that throws (e.g. a lock timeout) must not hold back the others; it stays due
  const each = async (what: string, ids: string[], fn: (id: string) => Promise<unknown>) => {
    for (const id of ids) {
      await fn(id).catch((e: Error) => logger.warn(`TradeGecko ${what} ${id} not retried this time: ${e.message}`))
    }
  }
  const { result: pushesDue } = await findOrdersDueForPushWorkflow(container).run({ input: {} })
  await each("order push", pushesDue, (orderId) => pushOrderToTradegeckoWorkflow(container).run({ input: { orderId } }))
  const changes = await findOrderStatusChangesDueWorkflow(container)
    .run({ input: {} })
    .then(({ result }) => result)
    .catch((e: Error) => {
      logger.warn(`TradeGecko check for due and unrecorded captures/cancels failed: ${e.message}`)
      return { due: [] as string[], unrecorded: [] as Array<{ orderId: string; action: "pay" | "void" }> }
    })
  await each("status change", changes.due, (changeId) =>
    sendOrderStatusChangeWorkflow(container).run({ input: { changeId } })
  )
  for (const { orderId, action } of changes.unrecorded) {
    await forwardOrderActionToTradegeckoWorkflow(container)
      .run({ input: { orderId, action } })
      .catch((e: Error) => logger.warn(`TradeGecko check for unrecorded captures/cancels failed: ${e.message}`))
  }
  await each("webhook delivery", await webhookDeliveriesLeftBehind(container), (id) =>
    processTradegeckoWebhookWorkflow(container).run({ input: { id } })
  )
  await each("webhook delivery", await webhookDeliveriesDue(container), (id) =>
    processTradegeckoWebhookWorkflow(container).run({ input: { id, retry: true } })
  )
}

export const config = {
  name: "tradegecko-retry-order-pushes",
  schedule: JOB_WAKE_SCHEDULE,
}
