import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { orderPushIdempotencyKey } from "../../../lib/order-sync"

/**
 * An order the push policy leaves out (placed before orderSyncFrom): recorded once as a
 * "skipped" order link with the reason, so order health shows it and nothing retries it.
 * Compensation: the link it created is removed.
 */
export const recordSkippedOrderPushStep = createStep(
  "record-skipped-tradegecko-order-push",
  async ({ orderId, reference, reason }: { orderId: string; reference: string; reason: string }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const [existing] = await tradegecko.listTradegeckoOrderLinks({ order_id: orderId })
    if (existing) return new StepResponse(existing, { createdId: null as string | null })
    const link = await tradegecko.createTradegeckoOrderLinks({
      order_id: orderId,
      reference,
      idempotency_key: orderPushIdempotencyKey(orderId),
      status: "skipped",
      last_error: reason,
    })
    return new StepResponse(link, { createdId: link.id as string | null })
  },
  async (undo, { container }) => {
    if (!undo?.createdId) return
    await container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).deleteTradegeckoOrderLinks(undo.createdId)
  }
)
