import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import type { TradegeckoOrderLineDraft } from "../../../mappings/medusa-order-to-tradegecko"

export interface SendTradegeckoOrderInput {
  linkId: string
  idempotencyKey: string
  reference: string
  previousOutcomeUnknown: boolean
  body: Record<string, unknown>
  lines: TradegeckoOrderLineDraft[]
  email: string | null
  companyKnown: boolean
  /** Why the order goes as a draft for review (acceptance rule), else null. */
  reviewReason: string | null
}

/**
 * Creates the TradeGecko order exactly once: with the link's Idempotency-Key (the
 * client retries 5xx/timeouts only with it), and after an attempt whose outcome is
 * unknown it first looks the order up by reference number. Then records the
 * TradeGecko ids, the line map for shipments coming back, and the customer's company.
 */
export const sendTradegeckoOrderStep = createStep("send-tradegecko-order", async (input: SendTradegeckoOrderInput, { container }) => {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const client = tradegecko.getClient()

  let order = null
  if (input.previousOutcomeUnknown) {
    const { items } = await client.orders.list({ reference_number: input.reference, status: ["draft", "active", "finalized", "fulfilled"], limit: 5 })
    order = items.find((o) => (o.notes ?? "").includes(String((input.body as any).notes))) ?? null
  }
  const found = Boolean(order)
  if (!order) {
    try {
      order = await client.orders.create(input.body as never, { idempotencyKey: input.idempotencyKey })
    } catch (e) {
      // Kept for the next attempt: a definite rejection lets it use a new key (begin step).
      const status = (e as { status?: unknown }).status
      await tradegecko.updateTradegeckoOrderLinks({ id: input.linkId, last_push_status: typeof status === "number" ? status : null })
      throw e
    }
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
    if (!known) await tradegecko.createTradegeckoCustomerLinks({ email: input.email, tradegecko_company_id: order.company_id })
  }
  return new StepResponse({ link, foundExisting: found })
})
