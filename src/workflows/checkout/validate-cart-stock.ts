import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { CartLike, CartStockCheck } from "../../lib/checkout-stock"
import { takeRecentlyUnreachableStep } from "./steps/take-recently-unreachable"
import { checkCartStockStep } from "./steps/compare-cart-with-stock"
import { handleCheckoutUnreachableStep } from "./steps/handle-checkout-unreachable"
import { refuseCartShortagesStep } from "./steps/refuse-cart-shortages"

export const validateCartStockWorkflowId = "validate-tradegecko-cart-stock"

export interface ValidateCartStockInput {
  cart: CartLike
}

/**
 * The checkout stock guard's last check, for completeCartWorkflow.hooks.validate: re-reads
 * stale TradeGecko stock of the cart's lines and refuses (store-API error naming each item)
 * when a refreshed line can no longer be sold as wanted. It never changes the cart:
 * completion has already read the cart and will authorise the payment session's own amount,
 * so a cart changed here would be charged the old total. The store API's completion route
 * fixes the cart (prepareCartForCompletionWorkflow, outside the completion) on the next attempt.
 *
 * The plugin registers it itself; an app that consumes hooks.validate sets the
 * `checkoutGuard: false` option and runs it from its own handler:
 *   completeCartWorkflow.hooks.validate(async ({ cart }, { container }) => {
 *     await validateCartStockWorkflow(container).run({ input: { cart } })
 *   })
 */
export const validateCartStockWorkflow = createWorkflow(
  validateCartStockWorkflowId,
  (input: ValidateCartStockInput) => {
    const cartId = transform({ input }, ({ input }) => input.cart.id)
    // The completion route's guard just allowed this cart on the last known stock (TradeGecko unreachable).
    const allowedBefore = takeRecentlyUnreachableStep(cartId)
    const check = when(
      "check-tradegecko-cart-stock-at-completion",
      { allowedBefore },
      ({ allowedBefore }) => !allowedBefore
    ).then(() => checkCartStockStep({ cart: input.cart, compare: "refreshed" }))
    when("tradegecko-unreachable-at-completion", { check }, ({ check }) => Boolean(check?.unreachable)).then(() => {
      handleCheckoutUnreachableStep(
        transform({ check, cartId }, ({ check, cartId }) => ({ cart_id: cartId, reason: check!.unreachable! }))
      )
    })
    when("refuse-tradegecko-shortages-at-completion", { check }, ({ check }) => Boolean(check?.shortages.length)).then(
      () => {
        refuseCartShortagesStep(transform({ check }, ({ check }) => check!))
      }
    )
    return new WorkflowResponse(
      transform(
        { check },
        ({ check }): CartStockCheck =>
          check ?? {
            refreshed: [],
            calls: 0,
            shortages: [],
            unreachable: "TradeGecko unreachable (checked before completion)",
          }
      )
    )
  }
)
