import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

const CART_FIELDS = [
  "id",
  "completed_at",
  "currency_code",
  "total",
  "sales_channel_id",
  "metadata",
  "items.id",
  "items.variant_id",
  "items.quantity",
  "items.title",
  "items.product_title",
  "items.variant_title",
  "payment_collection.id",
  "payment_collection.payment_sessions.id",
  "payment_collection.payment_sessions.status",
  "payment_collection.payment_sessions.amount",
]

/** The cart as the stock guard needs it; null when unknown or already completed (Medusa's route answers then). */
export const loadCartForStockStep = createStep(
  "load-tradegecko-cart-for-stock",
  async (cartId: string, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "cart", fields: CART_FIELDS, filters: { id: cartId } })
    const cart = data[0] as any
    return new StepResponse(cart && !cart.completed_at ? cart : null)
  }
)
