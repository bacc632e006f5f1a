import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { orderSyncAllows, placedBeforeOrderSyncFrom } from "../../../lib/order-sync"

export interface OrderPushDecision {
  /** The order goes to TradeGecko. */
  push: boolean
  /** Not pushed, and kept as a "skipped" order link with this reason (placed before orderSyncFrom). */
  skip: { orderId: string; reference: string; reason: string } | null
}

/**
 * The push policy (validate step, reads only): `orderSyncLevel` off pushes nothing and
 * records nothing; an order placed before `orderSyncFrom` is not pushed but recorded as
 * skipped; any other order is pushed.
 */
export const checkOrderPushAllowedStep = createStep(
  "check-tradegecko-order-push-allowed",
  async ({ orderId }: { orderId: string }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const { orderSyncLevel, orderSyncFrom } = await tradegecko.getSettings()
    if (!orderSyncAllows(orderSyncLevel, "push"))
      return new StepResponse<OrderPushDecision>({ push: false, skip: null })
    if (orderSyncFrom) {
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "order",
        fields: ["id", "display_id", "created_at"],
        filters: { id: orderId },
      })
      const order = data[0] as { display_id: number; created_at: string } | undefined
      if (order && placedBeforeOrderSyncFrom(order.created_at, orderSyncFrom)) {
        return new StepResponse<OrderPushDecision>({
          push: false,
          skip: {
            orderId,
            reference: `#${order.display_id}`,
            reason: `placed before orderSyncFrom (${orderSyncFrom})`,
          },
        })
      }
    }
    return new StepResponse<OrderPushDecision>({ push: true, skip: null })
  }
)
