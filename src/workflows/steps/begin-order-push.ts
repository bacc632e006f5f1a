import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../modules/tradegecko"
import type TradegeckoModuleService from "../../modules/tradegecko/service"

/**
 * Records the push BEFORE TradeGecko is called: the order link with its status,
 * attempt count and the Idempotency-Key every attempt reuses. A second push of an
 * order already in TradeGecko stops here.
 */
export const beginOrderPushStep = createStep("begin-tradegecko-order-push", async ({ orderId }: { orderId: string }, { container }) => {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [existing] = await tradegecko.listTradegeckoOrderLinks({ order_id: orderId })
  if (existing?.status === "pushed") {
    return new StepResponse({ link: existing, alreadyPushed: true, previousOutcomeUnknown: false })
  }
  let link = existing
  if (!link) {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "order", fields: ["id", "display_id"], filters: { id: orderId } })
    if (!data[0]) throw new Error(`Medusa order ${orderId} not found`)
    link = await tradegecko.createTradegeckoOrderLinks({
      order_id: orderId,
      reference: `#${(data[0] as any).display_id}`,
      idempotency_key: `medusa-order-${orderId}`,
      status: "pending",
    })
  }
  // An earlier attempt that reached TradeGecko may have created the order (timeout, crash):
  // then it must be looked up before creating.
  const previousOutcomeUnknown = link.attempts > 0
  const updated = await tradegecko.updateTradegeckoOrderLinks({ id: link.id, status: "pushing", attempts: link.attempts + 1 })
  return new StepResponse({ link: updated, alreadyPushed: false, previousOutcomeUnknown })
})
