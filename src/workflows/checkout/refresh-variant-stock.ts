import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { refreshVariantStockStep, type RefreshVariantStockInput } from "./steps/read-and-write-variant-stock"

export const refreshVariantStockWorkflowId = "refresh-tradegecko-variant-stock-workflow"

/**
 * Re-reads stale TradeGecko stock of some variants (one batched call) and writes it to
 * Medusa. The checkout runs it on its own, so the stock just read stays whatever the
 * checkout then decides (a refused completion does not put stale stock back).
 */
export const refreshVariantStockWorkflow = createWorkflow(
  refreshVariantStockWorkflowId,
  (input: RefreshVariantStockInput) => {
    return new WorkflowResponse(refreshVariantStockStep(input))
  }
)
