import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { forgetUnreachable, rememberUnreachable } from "../../../lib/checkout-stock"

export interface CheckoutUnreachableInput {
  cart_id: string
  /** Why TradeGecko could not be reached. */
  reason: string
  /** Remember the cart as allowed on last known stock, so the completion hook right after does not wait again. */
  remember?: boolean
}

/**
 * TradeGecko could not be reached at checkout. With `checkoutWhenUnreachable: "refuse"`
 * the order is refused (store-API error); with `"allow"` a failed `stock` run naming the
 * cart is recorded and the cart goes ahead on the last known stock (Medusa's own stock
 * check still applies). Compensation: the recorded run is deleted.
 */
export const handleCheckoutUnreachableStep = createStep(
  "handle-tradegecko-checkout-unreachable",
  async (input: CheckoutUnreachableInput, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const { checkoutWhenUnreachable } = await tradegecko.getSettings()
    if (checkoutWhenUnreachable === "refuse") {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "We could not confirm stock with our warehouse just now, so the order was not placed. Please try again in a moment."
      )
    }
    const now = new Date()
    const run = await tradegecko.createTradegeckoSyncRuns({
      kind: "stock",
      trigger: "checkout",
      status: "failed",
      started_at: now,
      finished_at: now,
      scope: { cart_id: input.cart_id },
      error: `TradeGecko unreachable at checkout; cart ${input.cart_id} completed on last known stock: ${input.reason}`,
    })
    container
      .resolve("logger")
      .warn(
        `TradeGecko unreachable at checkout of cart ${input.cart_id}; allowed on last known stock (${input.reason})`
      )
    if (input.remember) rememberUnreachable(input.cart_id)
    return new StepResponse(input.reason, {
      run_id: run.id,
      cart_id: input.cart_id,
      remembered: Boolean(input.remember),
    })
  },
  async (undo, { container }) => {
    if (!undo) return
    if (undo.remembered) forgetUnreachable(undo.cart_id)
    await container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE).deleteTradegeckoSyncRuns(undo.run_id)
  }
)
