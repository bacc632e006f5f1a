import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { findOrdersDueForPushStep } from "./steps/list-orders-due-for-push"

/**
 * The ids of the orders the retry job pushes now (failed pushes whose backoff has passed,
 * interrupted pushes, orders whose order.placed was lost); none when `orderSyncLevel` is off.
 */
export const findOrdersDueForPushWorkflow = createWorkflow(
  "find-tradegecko-orders-due-for-push",
  (input: { now?: Date | string; limit?: number }) => {
    return new WorkflowResponse(findOrdersDueForPushStep(input))
  }
)
