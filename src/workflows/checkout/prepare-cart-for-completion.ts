import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  acquireLockStep,
  deleteLineItemsWorkflow,
  emitEventStep,
  refreshCartItemsWorkflow,
  releaseLockStep,
  updateLineItemsStep,
} from "@medusajs/medusa/core-flows"
import { CartWorkflowEvents } from "@medusajs/framework/utils"
import { cartStockLockKey, paymentNotConfirmedRefusal, type CartStockShortage } from "../../lib/checkout-stock"
import { loadCartForStockStep } from "./steps/load-cart-for-stock"
import { checkCartStockStep } from "./steps/compare-cart-with-stock"
import { handleCheckoutUnreachableStep } from "./steps/handle-checkout-unreachable"
import { markCartStockAdjustedStep } from "./steps/mark-cart-stock-adjusted"

export const prepareCartForCompletionWorkflowId = "prepare-tradegecko-cart-for-completion"

export interface PrepareCartForCompletionInput {
  cart_id: string
}

export interface PrepareCartResult {
  /** Lines removed or lowered (the completion is then refused). */
  adjusted: CartStockShortage[]
  /** TradeGecko was unreachable and the cart goes ahead on the last known stock. */
  unreachable?: string
  /** Why the cart may not complete now (in the shopper's words); null: it may. */
  refusal: string | null
}

/**
 * The checkout stock guard before completion (the plugin runs it from a middleware of
 * `POST /store/carts/:id/complete`, before completeCartWorkflow takes the cart's lock),
 * one cart at a time across processes:
 *
 * 1. Re-reads stale TradeGecko stock of the cart's lines (one call) and compares every
 *    linked line with Medusa's availability.
 * 2. Lines that can no longer be sold as wanted are removed (Medusa's deleteLineItemsWorkflow)
 *    or lowered (Medusa's updateLineItemsStep + refreshCartItemsWorkflow): promotions,
 *    shipping prices, taxes and the payment collection are recomputed by Medusa, and the
 *    payment sessions made for the old total are deleted. `refusal` names each item and the
 *    new total.
 * 3. A cart the guard changed is not completed until its payment is confirmed again for
 *    the new total (a new payment session): `refusal` asks the shopper to review the
 *    payment, so a storefront that simply retries is never charged the old amount.
 *
 * The changes are kept when the completion is refused: the workflow succeeds and returns the
 * refusal; the caller answers with it (the plugin's middleware throws it as `not_allowed`).
 * Apps that complete carts with their own route run this before completeCartWorkflow.
 */
export const prepareCartForCompletionWorkflow = createWorkflow(
  prepareCartForCompletionWorkflowId,
  (input: PrepareCartForCompletionInput) => {
    const lockKey = transform({ input }, ({ input }) => cartStockLockKey(input.cart_id))
    acquireLockStep({ key: lockKey, timeout: 30, ttl: 120 })
    const cart = loadCartForStockStep(input.cart_id)
    const check = when("check-tradegecko-cart-stock-before-completion", { cart }, ({ cart }) => Boolean(cart)).then(
      () => checkCartStockStep(transform({ cart }, ({ cart }) => ({ cart, compare: "all" as const })))
    )
    when("tradegecko-unreachable-before-completion", { check }, ({ check }) => Boolean(check?.unreachable)).then(() => {
      handleCheckoutUnreachableStep(
        transform({ check, input }, ({ check, input }) => ({
          cart_id: input.cart_id,
          reason: check!.unreachable!,
          remember: true,
        }))
      )
    })

    const plan = transform({ check }, ({ check }) => {
      const shortages = check?.shortages ?? []
      return {
        shortages,
        removed: shortages.filter((s) => s.action === "removed").map((s) => s.line_item_id),
        lowered: shortages
          .filter((s) => s.action === "lowered")
          .map((s) => ({ selector: { id: s.line_item_id }, data: { quantity: s.available } })),
      }
    })
    when("remove-sold-out-lines", { plan }, ({ plan }) => plan.removed.length > 0).then(() => {
      deleteLineItemsWorkflow.runAsStep({ input: { cart_id: input.cart_id, ids: plan.removed } })
    })
    when("lower-short-lines", { plan }, ({ plan }) => plan.lowered.length > 0).then(() => {
      updateLineItemsStep({ id: input.cart_id, items: plan.lowered })
      refreshCartItemsWorkflow.runAsStep({ input: { cart_id: input.cart_id } })
    })
    const adjustedRefusal = when("mark-cart-stock-adjusted", { plan }, ({ plan }) => plan.shortages.length > 0).then(
      () => {
        const refusal = markCartStockAdjustedStep(
          transform({ input, plan, cart }, ({ input, plan, cart }) => ({
            cart_id: input.cart_id,
            shortages: plan.shortages,
            previous_total: Number(cart.total),
            currency_code: cart.currency_code,
          }))
        )
        emitEventStep({ eventName: CartWorkflowEvents.UPDATED, data: { id: input.cart_id } })
        return refusal
      }
    )
    releaseLockStep({ key: lockKey })

    return new WorkflowResponse(
      transform({ plan, check, cart, adjustedRefusal }, ({ plan, check, cart, adjustedRefusal }): PrepareCartResult => {
        if (plan.shortages.length) return { adjusted: plan.shortages, refusal: adjustedRefusal ?? null }
        return {
          adjusted: [],
          unreachable: check?.unreachable,
          refusal: cart ? paymentNotConfirmedRefusal(cart) : null,
        }
      })
    )
  }
)
