import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { prepareCartForCompletion } from "../../../workflows"

/**
 * Middleware of `POST /store/carts/:id/complete`: the checkout stock guard
 * (prepareCartForCompletionWorkflow) runs before Medusa's completion (and outside its cart
 * lock), so a cart it has to change is changed with Medusa's own cart workflows and its
 * totals and payment are recomputed. A refusal goes to Medusa's error handler
 * (400 `{ type: "not_allowed", message }`).
 */
export async function guardCartCompletion(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction) {
  try {
    await prepareCartForCompletion(req.scope, req.params.id)
  } catch (e) {
    return next(e)
  }
  next()
}
