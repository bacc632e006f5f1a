import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { reconcileTradegeckoOrdersStep } from "./steps/apply-orders-changed-since-last-run"

export const reconcileTradegeckoOrdersWorkflowId = "reconcile-tradegecko-orders"

/**
 * The safety net for missed webhooks: applies to Medusa what changed on this store's
 * orders in TradeGecko since the last run (paid, shipped, returned, void), one order at a
 * time through the apply-tradegecko-order-status workflow. The result is the recorded
 * `order_status` sync run with its counts, or null when status sync is off.
 */
export const reconcileTradegeckoOrdersWorkflow = createWorkflow(
  reconcileTradegeckoOrdersWorkflowId,
  (input: { trigger?: "schedule" | "manual" }) => {
    return new WorkflowResponse(reconcileTradegeckoOrdersStep(input))
  }
)
