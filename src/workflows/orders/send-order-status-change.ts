import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { sendOrderStatusChangeStep } from "./steps/order-status-changes"

/**
 * Sends one recorded Medusa → TradeGecko pay/void now (the retry job's due changes and
 * order health's "Retry"): the row afterwards is sent, pending (waits for the push or the
 * draft's review) or failed with the reason and the next attempt.
 */
export const sendOrderStatusChangeWorkflow = createWorkflow(
  "send-tradegecko-order-status-change",
  (input: { changeId: string }) => {
    return new WorkflowResponse(sendOrderStatusChangeStep(input))
  }
)
