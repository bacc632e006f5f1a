import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import { beginOrderPushStep } from "./steps/begin-order-push"
import { buildTradegeckoOrderStep } from "./steps/build-tradegecko-order"
import { sendTradegeckoOrderStep } from "./steps/send-tradegecko-order"
import { sendPendingOrderActions } from "./sync-order-status-to-tradegecko"

export const pushOrderToTradegeckoWorkflowId = "push-order-to-tradegecko"

/** Medusa order → TradeGecko sales order, exactly once: record → build → send. */
export const pushOrderToTradegeckoWorkflow = createWorkflow(pushOrderToTradegeckoWorkflowId, (input: { orderId: string }) => {
  const begun = beginOrderPushStep(input)
  const sent = when({ begun }, ({ begun }) => !begun.alreadyPushed).then(() => {
    const built = buildTradegeckoOrderStep(input)
    return sendTradegeckoOrderStep(
      transform({ begun, built }, ({ begun, built }) => ({
        linkId: begun.link.id,
        idempotencyKey: begun.link.idempotency_key,
        reference: begun.link.reference,
        previousOutcomeUnknown: begun.previousOutcomeUnknown,
        body: built.body,
        lines: built.lines,
        email: built.email,
        companyKnown: built.companyKnown,
        reviewReason: built.reviewReason,
      }))
    )
  })
  return new WorkflowResponse(transform({ begun, sent }, ({ begun, sent }) => sent?.link ?? begun.link))
})

/** Backoff of automatic retries: 30 s, 1, 2, 4 … minutes, at most one hour. Never given up. */
export function nextAttemptAt(attempts: number, now = new Date()) {
  const seconds = Math.min(30 * 2 ** Math.max(0, attempts - 1), 3600)
  return new Date(now.getTime() + seconds * 1000)
}

/**
 * Pushes one order; a failure is kept on the order link in words (TradeGecko's 422
 * field errors, "unavailable", …) with the time of the next automatic attempt.
 */
export async function pushOrderToTradegecko(container: MedusaContainer, orderId: string) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const { orderSyncLevel, orderSyncFrom } = await tradegecko.getSettings()
  if (orderSyncLevel === "off") return null
  if (orderSyncFrom) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "order", fields: ["id", "display_id", "created_at"], filters: { id: orderId } })
    const order = data[0] as any
    if (order && new Date(order.created_at) < new Date(orderSyncFrom)) {
      const [existing] = await tradegecko.listTradegeckoOrderLinks({ order_id: orderId })
      if (existing) return existing
      return tradegecko.createTradegeckoOrderLinks({
        order_id: orderId,
        reference: `#${order.display_id}`,
        idempotency_key: `medusa-order-${orderId}`,
        status: "skipped",
        last_error: `placed before orderSyncFrom (${orderSyncFrom})`,
      })
    }
  }
  try {
    const { result } = await pushOrderToTradegeckoWorkflow(container).run({ input: { orderId } })
    await sendPendingOrderActions(container, orderId)
    return result
  } catch (e) {
    const [link] = await tradegecko.listTradegeckoOrderLinks({ order_id: orderId })
    if (link) {
      return tradegecko.updateTradegeckoOrderLinks({
        id: link.id,
        status: "failed",
        last_error: (e as Error).message ?? String(e),
        next_attempt_at: nextAttemptAt(link.attempts),
      })
    }
    throw e
  }
}
