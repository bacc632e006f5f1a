import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { findOrderStatusChangesDueStep, findUnrecordedOrderActionsStep } from "./steps/order-status-changes"

/**
 * Medusa → TradeGecko pay/void the retry job handles now: `due`, recorded changes whose
 * backoff has passed or whose first attempt never finished; `unrecorded`, captures and
 * cancels of pushed orders in the last day whose event was lost before anything was
 * recorded (each is then run through the forward workflow).
 */
export const findOrderStatusChangesDueWorkflow = createWorkflow(
  "find-tradegecko-order-status-changes-due",
  (input: { now?: Date | string; limit?: number }) => {
    const due = findOrderStatusChangesDueStep(input)
    const unrecorded = findUnrecordedOrderActionsStep(input)
    return new WorkflowResponse({ due, unrecorded })
  }
)
