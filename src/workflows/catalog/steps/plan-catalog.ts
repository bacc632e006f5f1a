import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { planCatalogChanges, type PlanInput } from "../../../mappings/plan-catalog-changes"
import { loadCatalogState } from "./load-catalog-state"

/**
 * Reads what Medusa and the link tables know of a batch (loadCatalogState) and plans
 * its changes with the pure planner (src/mappings/plan-catalog-changes.ts). One step:
 * both only read, and every step boundary copies its input whole (the batch's
 * TradeGecko records, here once).
 */
export const planCatalogBatchStep = createStep(
  "plan-tradegecko-catalog-batch",
  async (input: PlanInput, { container }) =>
    new StepResponse(planCatalogChanges(input, await loadCatalogState(container, input)))
)
