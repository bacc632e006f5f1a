import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { takeRecentlyUnreachable } from "../../../lib/checkout-stock"

/**
 * True when the completion route's guard has just found TradeGecko unreachable for this
 * cart and allowed it on the last known stock (recorded once): the hook does not wait for
 * TradeGecko a second time.
 */
export const takeRecentlyUnreachableStep = createStep(
  "take-tradegecko-recently-unreachable",
  async (cartId: string) => {
    return new StepResponse(takeRecentlyUnreachable(cartId))
  }
)
