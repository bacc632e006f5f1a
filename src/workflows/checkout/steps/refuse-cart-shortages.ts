import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { shortageRefusal, type CartStockCheck } from "../../../lib/checkout-stock"

/** Refuses the completion (store-API error naming each item) when lines can no longer be sold. Writes nothing. */
export const refuseCartShortagesStep = createStep("refuse-tradegecko-cart-shortages", async (check: CartStockCheck) => {
  if (check.shortages.length) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, shortageRefusal(check.shortages))
  return new StepResponse(check)
})
