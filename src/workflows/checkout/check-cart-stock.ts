import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { checkCartStockStep, type CheckCartStockInput } from "./steps/compare-cart-with-stock"
import { handleCheckoutUnreachableStep } from "./steps/handle-checkout-unreachable"

export const checkCartStockWorkflowId = "check-tradegecko-cart-stock-workflow"

/**
 * Refreshes stale TradeGecko stock of a cart's lines and reports the lines that can no
 * longer be sold as wanted, without changing the cart or refusing anything. TradeGecko
 * unreachable: with `checkoutWhenUnreachable: "refuse"` it throws the store-API error; with
 * `"allow"` it records a failed `stock` run naming the cart and returns `unreachable`.
 */
export const checkCartStockWorkflow = createWorkflow(checkCartStockWorkflowId, (input: CheckCartStockInput) => {
  const check = checkCartStockStep(input)
  when("tradegecko-unreachable-at-check", { check }, ({ check }) => Boolean(check.unreachable)).then(() => {
    handleCheckoutUnreachableStep(
      transform({ check, input }, ({ check, input }) => ({ cart_id: input.cart.id, reason: check.unreachable! }))
    )
  })
  return new WorkflowResponse(check)
})
