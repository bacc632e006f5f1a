import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { planCatalogChanges, type PlanInput } from "../../../mappings/plan-catalog-changes"
import type { CatalogState } from "../../../mappings/plan-catalog-changes"

/** Step wrapper of the pure planner (src/mappings/plan-catalog-changes.ts). */
export const planCatalogChangesStep = createStep(
  "plan-tradegecko-catalog-changes",
  async ({ input, state }: { input: PlanInput; state: CatalogState }) =>
    new StepResponse(planCatalogChanges(input, state))
)
