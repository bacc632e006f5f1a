import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { applyTradegeckoOrderStatusStep } from "./steps/apply-order-status-to-medusa"

export const applyTradegeckoOrderStatusWorkflowId = "apply-tradegecko-order-status"

/**
 * TradeGecko → Medusa for one order (webhook deliveries, the reconciliation): shipments
 * with tracking, payment, received returns and void, each applied once. The result says
 * what changed in Medusa, or why nothing did (status sync off, another store's order,
 * already applied); a change Medusa could not take yet is thrown after the others were
 * applied, so the caller retries it.
 */
export const applyTradegeckoOrderStatusWorkflow = createWorkflow(
  applyTradegeckoOrderStatusWorkflowId,
  (input: { tradegeckoOrderId: number; prefetched?: any }) => {
    return new WorkflowResponse(applyTradegeckoOrderStatusStep(input))
  }
)
