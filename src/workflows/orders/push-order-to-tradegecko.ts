import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { TRADEGECKO_MODULE } from "../../modules/tradegecko"
import type TradegeckoModuleService from "../../modules/tradegecko/service"
import { beginOrderPushStep } from "./steps/begin-order-push"
import { buildTradegeckoOrderStep } from "./steps/build-tradegecko-order"
import { sendTradegeckoOrderStep } from "./steps/send-tradegecko-order"
import { sendPendingOrderActions } from "./forward-order-action-to-tradegecko"
import { nextAttemptAt } from "../../lib/backoff"

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
export { nextAttemptAt }

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
  const logger = container.resolve("logger")
  const [before] = await tradegecko.listTradegeckoOrderLinks({ order_id: orderId })
  try {
    const { result } = await pushOrderToTradegeckoWorkflow(container).run({ input: { orderId } })
    if (before?.status === "failed" && result?.status === "pushed") {
      logger.info(`TradeGecko push of order ${result.reference} (${orderId}) succeeded after ${result.attempts} attempts`)
    }
    // (each change keeps its own outcome; a failure here is not the push's)
    await sendPendingOrderActions(container, orderId).catch((e: Error) =>
      logger.warn(`TradeGecko status changes of order ${result?.reference ?? ""} (${orderId}) not sent after its push: ${e.message}`)
    )
    return result
  } catch (e) {
    const [link] = await tradegecko.listTradegeckoOrderLinks({ order_id: orderId })
    if (link) {
      const reason = (e as Error).message ?? String(e)
      const next = nextAttemptAt(link.attempts)
      logger.warn(`TradeGecko push of order ${link.reference} (${orderId}) failed (attempt ${link.attempts}): ${reason}; next attempt at ${next.toISOString()}`)
      return tradegecko.updateTradegeckoOrderLinks({ id: link.id, status: "failed", last_error: reason, next_attempt_at: next })
    }
    throw e
  }
}
