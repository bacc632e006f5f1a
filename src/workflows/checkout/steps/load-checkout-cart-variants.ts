import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

/**
 * The variants of a cart that has entered checkout (it has an e-mail or a shipping
 * address); none for a cart still being filled, or an unknown one.
 */
export const loadCheckoutCartVariantsStep = createStep(
  "load-tradegecko-checkout-cart-variants",
  async (cartId: string, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "cart",
      fields: ["id", "email", "shipping_address.id", "items.variant_id"],
      filters: { id: cartId },
    })
    const cart = data[0] as any
    if (!cart || (!cart.email && !cart.shipping_address?.id)) return new StepResponse([] as string[])
    return new StepResponse(((cart.items ?? []) as any[]).map((i) => i.variant_id).filter(Boolean) as string[])
  }
)
