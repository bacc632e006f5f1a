import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { nextAttemptAt } from "../../../lib/backoff"
import { isDefiniteRejection, orderPushIdempotencyKey } from "../../../lib/order-sync"

/**
 * Records the push BEFORE TradeGecko is called: the order link with its status,
 * attempt count and the Idempotency-Key attempts reuse (a new one only after TradeGecko
 * definitely refused the last, see isDefiniteRejection). A second push of an order
 * already in TradeGecko stops here.
 *
 * Compensation (a later step threw): the link is no longer left "pushing"; the attempt
 * is kept as failed with its reason and the time of the next automatic attempt.
 */
export const beginOrderPushStep = createStep(
  "begin-tradegecko-order-push",
  async ({ orderId }: { orderId: string }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const [existing] = await tradegecko.listTradegeckoOrderLinks({ order_id: orderId })
    if (existing?.status === "pushed") {
      return new StepResponse(
        {
          link: existing,
          alreadyPushed: true,
          previousOutcomeUnknown: false,
          previousStatus: existing.status as string,
        },
        null
      )
    }
    let link = existing
    if (!link) {
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({ entity: "order", fields: ["id", "display_id"], filters: { id: orderId } })
      if (!data[0]) throw new Error(`Medusa order ${orderId} not found`)
      link = await tradegecko.createTradegeckoOrderLinks({
        order_id: orderId,
        reference: `#${(data[0] as any).display_id}`,
        idempotency_key: orderPushIdempotencyKey(orderId),
        status: "pending",
      })
    }
    // An earlier attempt that reached TradeGecko may have created the order (timeout, crash):
    // then it must be looked up before creating.
    const previousOutcomeUnknown = link.attempts > 0
    // TradeGecko definitely refused the last create with this key (e.g. 422 before the merchant
    // fixed the cause): it replays that answer for 24 h, or answers 409 to a changed body. That
    // key created nothing, so after the lookup by reference (send step) a new key is safe.
    // After an unknown outcome (timeout, 5xx, 409 in flight) the key is kept: it is what stops a
    // second order if the first request did get through.
    const newKey = previousOutcomeUnknown && isDefiniteRejection(link.last_push_status)
    const updated = await tradegecko.updateTradegeckoOrderLinks({
      id: link.id,
      status: "pushing",
      attempts: link.attempts + 1,
      ...(newKey
        ? { idempotency_key: orderPushIdempotencyKey(orderId, link.attempts + 1), last_push_status: null }
        : {}),
    })
    return new StepResponse(
      {
        link: updated,
        alreadyPushed: false,
        previousOutcomeUnknown,
        previousStatus: (existing?.status ?? null) as string | null,
      },
      { linkId: updated.id as string }
    )
  },
  async (undo, { container }) => {
    if (!undo?.linkId) return
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const [link] = await tradegecko.listTradegeckoOrderLinks({ id: undo.linkId })
    if (!link || link.status !== "pushing") return
    const reason = "interrupted: a later step of the workflow failed before TradeGecko's answer was recorded"
    const next = nextAttemptAt(link.attempts)
    container
      .resolve("logger")
      .warn(
        `TradeGecko push of order ${link.reference} (${link.order_id}) failed (attempt ${link.attempts}): ${reason}; next attempt at ${next.toISOString()}`
      )
    await tradegecko.updateTradegeckoOrderLinks({
      id: link.id,
      status: "failed",
      last_error: reason,
      next_attempt_at: next,
    })
  }
)
