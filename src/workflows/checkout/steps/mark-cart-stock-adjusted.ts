import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import {
  adjustedRefusal,
  adjustmentSummary,
  STOCK_ADJUSTED_KEY,
  type CartStockShortage,
} from "../../../lib/checkout-stock"

export interface MarkCartStockAdjustedInput {
  cart_id: string
  shortages: CartStockShortage[]
  /** The cart's total before the guard changed it. */
  previous_total: number
  currency_code: string
}

/**
 * Notes on the cart (metadata `tradegecko_stock_adjusted`) what the guard changed and the
 * new total, so the cart is not completed until its payment is confirmed again; returns
 * the refusal the shopper sees. Compensation: the cart's previous metadata is restored.
 */
export const markCartStockAdjustedStep = createStep(
  "mark-tradegecko-cart-stock-adjusted",
  async (input: MarkCartStockAdjustedInput, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "cart",
      fields: ["id", "total", "metadata"],
      filters: { id: input.cart_id },
    })
    const after = data[0] as any
    const summary = adjustmentSummary(input.shortages)
    const total = Number(after?.total ?? 0)
    const previousMetadata = (after?.metadata ?? null) as Record<string, unknown> | null
    await container.resolve(Modules.CART).updateCarts(input.cart_id, {
      metadata: {
        ...(previousMetadata ?? {}),
        [STOCK_ADJUSTED_KEY]: { at: new Date().toISOString(), summary, previous_total: input.previous_total, total },
      },
    })
    return new StepResponse(adjustedRefusal(summary, total, input.currency_code), {
      cart_id: input.cart_id,
      metadata: previousMetadata,
    })
  },
  async (undo, { container }) => {
    if (!undo) return
    const cart = container.resolve(Modules.CART)
    // Medusa merges metadata on update (a key set to "" is deleted): the guard's key goes back to what it was.
    await cart.updateCarts(undo.cart_id, {
      metadata: { ...(undo.metadata ?? {}), [STOCK_ADJUSTED_KEY]: undo.metadata?.[STOCK_ADJUSTED_KEY] ?? "" },
    })
  }
)
