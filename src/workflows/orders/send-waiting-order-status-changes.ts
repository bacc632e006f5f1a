import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { sendWaitingOrderStatusChangesStep } from "./steps/order-status-changes"

/**
 * Sends an order's Medusa → TradeGecko pay/void that waited for its push or for its
 * draft's finalization in TradeGecko (run when TradeGecko reports the order finalized).
 * A failure is thrown (the caller retries); each change keeps its own outcome on its row.
 */
export const sendWaitingOrderStatusChangesWorkflow = createWorkflow(
  "send-waiting-tradegecko-order-status-changes",
  (input: { orderId: string }) => {
    sendWaitingOrderStatusChangesStep({ orderId: input.orderId, rethrow: true })
    return new WorkflowResponse(null)
  }
)
