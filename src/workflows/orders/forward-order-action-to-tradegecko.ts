import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  checkOrderActionForwardableStep,
  dismissWaitingPaymentStep,
  type ForwardAction,
  recordOrderStatusChangeStep,
  sendOrderStatusChangeStep,
} from "./steps/order-status-changes"

export type { ForwardAction }

export const forwardOrderActionToTradegeckoWorkflowId = "forward-order-action-to-tradegecko"

/**
 * Medusa → TradeGecko status: payment captured in full → `pay` (invoiced and paid),
 * canceled → `void` (a draft is deleted instead, as TradeGecko wants).
 *
 * The change is recorded first (a `to_tradegecko` status change row), then sent. If
 * TradeGecko does not take it (outage, timeout, crash), the row stays `failed` with the
 * reason and is retried with backoff by the retry job until TradeGecko has it; the order
 * health page lists it meanwhile. When the order is not in TradeGecko yet (or is a draft
 * under review, for `pay`) the row waits and is sent right after the push / finalization.
 * A change TradeGecko itself announced (its "paid" or "void" applied to Medusa) is not sent
 * back, and nothing is recorded unless `orderSyncLevel` includes status sync.
 * The result is the status change row afterwards, or null when nothing was recorded.
 */
export const forwardOrderActionToTradegeckoWorkflow = createWorkflow(
  forwardOrderActionToTradegeckoWorkflowId,
  (input: { orderId: string; action: ForwardAction }) => {
    const forward = checkOrderActionForwardableStep(input)
    const change = when({ forward }, ({ forward }) => forward).then(() => recordOrderStatusChangeStep(input))
    const open = transform({ change }, ({ change }) =>
      Boolean(change && change.status !== "sent" && change.status !== "dismissed")
    )
    when({ open, input }, ({ open, input }) => open && input.action === "void").then(() =>
      dismissWaitingPaymentStep(input)
    )
    const sent = when({ open }, ({ open }) => open).then(() =>
      sendOrderStatusChangeStep(transform({ change }, ({ change }) => ({ changeId: change!.id as string })))
    )
    return new WorkflowResponse(transform({ change, sent }, ({ change, sent }) => sent ?? change ?? null))
  }
)
