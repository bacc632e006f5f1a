import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { checkOrderPushAllowedStep } from "./steps/check-order-push-allowed"
import { recordSkippedOrderPushStep } from "./steps/record-skipped-order-push"
import { beginOrderPushStep } from "./steps/begin-order-push"
import { buildTradegeckoOrderStep } from "./steps/build-tradegecko-order"
import { sendTradegeckoOrderStep } from "./steps/send-tradegecko-order"
import { recordOrderPushFailureStep } from "./steps/record-order-push-failure"
import { sendWaitingOrderStatusChangesStep } from "./steps/order-status-changes"

export const pushOrderToTradegeckoWorkflowId = "push-order-to-tradegecko"

/**
 * Medusa order → TradeGecko sales order, exactly once: policy → record → build → send.
 *
 * - `orderSyncLevel` off: nothing is recorded or sent; the result is null.
 * - Placed before `orderSyncFrom`: recorded as a "skipped" order link, not sent.
 * - Otherwise the order link is recorded ("pushing") before TradeGecko is called, and the
 *   result is the link afterwards: "pushed", or "failed" with the reason in words
 *   (TradeGecko's 422 field errors, "unavailable", …) and the time of the next automatic
 *   attempt. A refusal is such a failure record, not a thrown error.
 * - Pay/void changes that waited for the push are sent right after it.
 *
 * Subscribers, the retry job, the admin routes and host apps all run this same workflow.
 */
export const pushOrderToTradegeckoWorkflow = createWorkflow(
  pushOrderToTradegeckoWorkflowId,
  (input: { orderId: string }) => {
    const decision = checkOrderPushAllowedStep(input)

    const skipped = when({ decision }, ({ decision }) => Boolean(decision.skip)).then(() =>
      recordSkippedOrderPushStep(transform({ decision }, ({ decision }) => decision.skip!))
    )

    const begun = when({ decision }, ({ decision }) => decision.push).then(() => beginOrderPushStep(input))
    const built = when({ begun }, ({ begun }) => Boolean(begun && !begun.alreadyPushed)).then(() =>
      buildTradegeckoOrderStep(input)
    )
    const sent = when({ built }, ({ built }) => Boolean(built && !built.failure)).then(() =>
      sendTradegeckoOrderStep(
        transform({ begun, built, input }, ({ begun, built, input }) => {
          const ok = built as Exclude<typeof built, { failure: string } | undefined>
          return {
            linkId: begun!.link.id as string,
            orderId: input.orderId,
            idempotencyKey: begun!.link.idempotency_key as string,
            reference: begun!.link.reference as string,
            attempts: begun!.link.attempts as number,
            previousStatus: begun!.previousStatus,
            previousOutcomeUnknown: begun!.previousOutcomeUnknown,
            body: ok.body,
            lines: ok.lines,
            email: ok.email,
            companyKnown: ok.companyKnown,
            reviewReason: ok.reviewReason,
          }
        })
      )
    )
    // TradeGecko did not take the order (or could not be asked): the failure record
    const failure = transform({ begun, built, sent }, ({ begun, built, sent }) => {
      if (!begun || begun.alreadyPushed) return null
      if (built?.failure) return { linkId: begun.link.id as string, reason: built.failure }
      if (sent?.failure)
        return { linkId: begun.link.id as string, reason: sent.failure.reason, status: sent.failure.status }
      return null
    })
    const failed = when({ failure }, ({ failure }) => failure !== null).then(() =>
      recordOrderPushFailureStep(failure as never)
    )
    const pushed = transform(
      { begun, sent, failed },
      ({ begun, sent, failed }) => failed ?? sent?.link ?? begun?.link ?? null
    )
    when({ pushed }, ({ pushed }) => pushed?.status === "pushed").then(() =>
      sendWaitingOrderStatusChangesStep(
        transform({ pushed }, ({ pushed }) => ({
          orderId: pushed.order_id as string,
          reference: pushed.reference as string,
        }))
      )
    )

    return new WorkflowResponse(transform({ skipped, pushed }, ({ skipped, pushed }) => pushed ?? skipped ?? null))
  }
)
