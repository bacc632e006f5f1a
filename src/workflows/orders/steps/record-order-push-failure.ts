import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { nextAttemptAt } from "../../../lib/backoff"

/**
 * The failure record of a push: kept on the order link in words (TradeGecko's 422 field
 * errors, "unavailable", …) with TradeGecko's HTTP status (a definite rejection lets the
 * next attempt use a new key) and the time of the next automatic attempt; logged at warn.
 * Compensation: the link goes back to what it was, which the begin step's compensation
 * then records as an interrupted attempt.
 */
export const recordOrderPushFailureStep = createStep(
  "record-tradegecko-order-push-failure",
  async ({ linkId, reason, status }: { linkId: string; reason: string; status?: number | null }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const [before] = await tradegecko.listTradegeckoOrderLinks({ id: linkId })
    const next = nextAttemptAt(before.attempts)
    container
      .resolve("logger")
      .warn(
        `TradeGecko push of order ${before.reference} (${before.order_id}) failed (attempt ${before.attempts}): ${reason}; next attempt at ${next.toISOString()}`
      )
    const link = await tradegecko.updateTradegeckoOrderLinks({
      id: linkId,
      status: "failed",
      last_error: reason,
      next_attempt_at: next,
      ...(status !== undefined ? { last_push_status: status } : {}),
    })
    return new StepResponse(link, {
      id: linkId,
      status: before.status,
      last_error: before.last_error,
      next_attempt_at: before.next_attempt_at,
      last_push_status: before.last_push_status,
    })
  },
  async (before, { container }) => {
    if (!before) return
    await container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).updateTradegeckoOrderLinks(before as never)
  }
)
