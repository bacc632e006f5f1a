import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import type { TradegeckoOrderLineDraft } from "../../../mappings/medusa-order-to-tradegecko"
import { nextAttemptAt } from "../../../lib/backoff"
import { orderPushIdempotencyKey } from "../../../lib/order-sync"

export interface SendTradegeckoOrderInput {
  linkId: string
  orderId: string
  idempotencyKey: string
  reference: string
  attempts: number
  /** The link's status before this attempt ("failed": a success is logged as a recovery). */
  previousStatus: string | null
  previousOutcomeUnknown: boolean
  body: Record<string, unknown>
  lines: TradegeckoOrderLineDraft[]
  email: string | null
  companyKnown: boolean
  /** Why the order goes as a draft for review (acceptance rule), else null. */
  reviewReason: string | null
}

export type SendTradegeckoOrderOutput =
  | { link: any; foundExisting: boolean; failure: null }
  /** TradeGecko did not take the order: the reason, and the HTTP status when TradeGecko answered. */
  | { link: null; foundExisting: false; failure: { reason: string; status?: number | null } }

interface SendUndo {
  linkId: string
  orderId: string
  attempts: number
  /** The TradeGecko order this step created (not one an earlier attempt had created). */
  createdOrderId: number | null
  /** Its shipping and billing addresses (their labels are unique per company: a new push makes them again). */
  createdAddressIds: number[]
  cachedCustomerId: string | null
}

/**
 * Creates the TradeGecko order exactly once: with the link's Idempotency-Key (the
 * client retries 5xx/timeouts only with it), and after an attempt whose outcome is
 * unknown it first looks the order up by reference number. Then records the
 * TradeGecko ids, the line map for shipments coming back, and the customer's company.
 * A create TradeGecko refuses or never answers is returned as `failure` (for the
 * failure record step).
 *
 * Compensation (a later step threw, e.g. in a host workflow that runs this one as a
 * step): the TradeGecko order it created is deleted (a draft is deleted, an active
 * order voided) with the addresses made for it, the link no longer says pushed and takes a new Idempotency-Key (the
 * old one would replay the deleted order), and the company it cached is removed.
 */
export const sendTradegeckoOrderStep = createStep(
  "send-tradegecko-order",
  async (input: SendTradegeckoOrderInput, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const client = tradegecko.getClient()

    let order = null
    try {
      if (input.previousOutcomeUnknown) {
        const { items } = await client.orders.list({
          reference_number: input.reference,
          status: ["draft", "active", "finalized", "fulfilled"],
          limit: 5,
        })
        order = items.find((o) => (o.notes ?? "").includes(String((input.body as any).notes))) ?? null
      }
    } catch (e) {
      return new StepResponse<SendTradegeckoOrderOutput, SendUndo | null>(
        { link: null, foundExisting: false, failure: { reason: (e as Error).message ?? String(e) } },
        null
      )
    }
    const found = Boolean(order)
    if (!order) {
      try {
        order = await client.orders.create(input.body as never, { idempotencyKey: input.idempotencyKey })
      } catch (e) {
        // Kept for the next attempt: a definite rejection lets it use a new key (begin step).
        const status = (e as { status?: unknown }).status
        return new StepResponse<SendTradegeckoOrderOutput, SendUndo | null>(
          {
            link: null,
            foundExisting: false,
            failure: { reason: (e as Error).message ?? String(e), status: typeof status === "number" ? status : null },
          },
          null
        )
      }
    }
    const undo: SendUndo = {
      linkId: input.linkId,
      orderId: input.orderId,
      attempts: input.attempts,
      createdOrderId: found ? null : order.id,
      createdAddressIds: found
        ? []
        : [
            ...new Set(
              [(order as any).shipping_address_id, (order as any).billing_address_id].filter(
                (id): id is number => typeof id === "number"
              )
            ),
          ],
      cachedCustomerId: null,
    }

    const tgLineIds: number[] = (order as any).order_line_item_ids ?? []
    const lineMap: Record<string, string> = {}
    input.lines.forEach((l, i) => {
      if (l.medusa_line_item_id && tgLineIds[i] !== undefined) lineMap[String(tgLineIds[i])] = l.medusa_line_item_id
    })
    const link = await tradegecko.updateTradegeckoOrderLinks({
      id: input.linkId,
      status: "pushed",
      tradegecko_order_id: order.id,
      tradegecko_order_number: order.order_number ?? null,
      tradegecko_status: order.status ?? null,
      pushed_at: new Date(),
      last_error: null,
      next_attempt_at: null,
      last_push_status: found ? null : 201,
      line_map: lineMap,
      review_reason: input.reviewReason,
    })
    if (input.email && !input.companyKnown && order.company_id) {
      const [known] = await tradegecko.listTradegeckoCustomerLinks({ email: input.email })
      if (!known)
        undo.cachedCustomerId = (
          await tradegecko.createTradegeckoCustomerLinks({
            email: input.email,
            tradegecko_company_id: order.company_id,
          })
        ).id
    }
    if (input.previousStatus === "failed") {
      container
        .resolve("logger")
        .info(
          `TradeGecko push of order ${input.reference} (${input.orderId}) succeeded after ${input.attempts} attempts`
        )
    }
    return new StepResponse<SendTradegeckoOrderOutput, SendUndo | null>(
      { link, foundExisting: found, failure: null },
      undo
    )
  },
  async (undo, { container }) => {
    if (!undo) return
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const client = tradegecko.getClient()
    if (undo.createdOrderId) await client.orders.delete(undo.createdOrderId)
    for (const id of undo.createdAddressIds ?? []) await client.addresses.delete(id)
    if (undo.cachedCustomerId) await tradegecko.deleteTradegeckoCustomerLinks(undo.cachedCustomerId)
    const reason = "undone: a later step of the workflow failed after the push"
    container
      .resolve("logger")
      .warn(
        `TradeGecko push of order ${undo.orderId} undone (TradeGecko order ${undo.createdOrderId ?? "kept"}): ${reason}`
      )
    await tradegecko.updateTradegeckoOrderLinks({
      id: undo.linkId,
      status: "failed",
      tradegecko_order_id: null,
      tradegecko_order_number: null,
      tradegecko_status: null,
      pushed_at: null,
      line_map: {},
      review_reason: null,
      last_push_status: null,
      last_error: reason,
      next_attempt_at: nextAttemptAt(undo.attempts),
      // the old key would make TradeGecko replay the deleted order
      ...(undo.createdOrderId ? { idempotency_key: orderPushIdempotencyKey(undo.orderId, undo.attempts + 1) } : {}),
    })
  }
)
