import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { listFailedProductsStep } from "./steps/read-failed-products"

export type { FailedProduct } from "./steps/read-failed-products"

export const listFailedTradegeckoProductsWorkflowId = "list-failed-tradegecko-products"

/**
 * TradeGecko products whose latest sync outcome is `failed`, with how many times in a
 * row and when the plugin retries them (exponential backoff). Read by the retry job and
 * GET /admin/tradegecko/failed-products.
 */
export const listFailedTradegeckoProductsWorkflow = createWorkflow(listFailedTradegeckoProductsWorkflowId, () => {
  return new WorkflowResponse(listFailedProductsStep())
})
