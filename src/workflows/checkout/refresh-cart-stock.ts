import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { acquireLockStep, releaseLockStep } from "@medusajs/medusa/core-flows"
import { cartStockLockKey } from "../../lib/checkout-stock"
import { loadCheckoutCartVariantsStep } from "./steps/load-checkout-cart-variants"
import { refreshVariantStockStep } from "./steps/read-and-write-variant-stock"

export const refreshCartStockWorkflowId = "refresh-tradegecko-cart-stock"

/**
 * Entering checkout (the cart has an e-mail or a shipping address): stale TradeGecko stock
 * of its lines is refreshed ahead of completion, so the shopper's request never waits for
 * TradeGecko. Single-flight per cart: the refreshes of one cart and the completion guard
 * take the same lock; the ones that waited find the stock fresh and make no call.
 */
export const refreshCartStockWorkflow = createWorkflow(refreshCartStockWorkflowId, (input: { cart_id: string }) => {
  const variantIds = loadCheckoutCartVariantsStep(input.cart_id)
  const refreshed = when("cart-in-checkout", { variantIds }, ({ variantIds }) => variantIds.length > 0).then(() => {
    const key = transform({ input }, ({ input }) => cartStockLockKey(input.cart_id))
    acquireLockStep({ key, timeout: 30, ttl: 120 })
    const result = refreshVariantStockStep({ variantIds, forCheckout: true })
    releaseLockStep({ key })
    return result
  })
  return new WorkflowResponse(
    transform({ refreshed }, ({ refreshed }) => refreshed ?? { refreshed: [], fresh: [], calls: 0 })
  )
})
