import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN, Modules } from "@medusajs/framework/utils"
import {
  beginReceiveReturnWorkflow,
  beginReturnOrderWorkflow,
  cancelOrderWorkflow,
  capturePaymentWorkflow,
  confirmReturnReceiveWorkflow,
  confirmReturnRequestWorkflow,
  receiveItemReturnRequestWorkflow,
  requestItemReturnWorkflow,
  createOrderFulfillmentWorkflow,
  createOrderShipmentWorkflow,
} from "@medusajs/medusa/core-flows"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { TRADEGECKO_MODULE } from "../../../modules/tradegecko"
import type TradegeckoModuleService from "../../../modules/tradegecko/service"
import { orderSyncAllows } from "../../../lib/order-sync"
import { NOT_THIS_STORE, type OrderStatusOutcome } from "../../../lib/order-status-outcome"
import { sendWaitingOrderStatusChangesWorkflow } from "../send-waiting-order-status-changes"

/** What has been applied to Medusa from TradeGecko, kept on the order link (`applied`). */
interface AppliedState {
  fulfillments?: AppliedFulfillments
  /** TradeGecko fulfillment_return id → Medusa return id. */
  returns?: Record<string, string>
  paid_in_medusa?: boolean
  /** "canceled", or why Medusa refused to cancel. */
  void_in_medusa?: string
  pay_sent?: boolean
  pay_pending?: boolean
  void_sent?: boolean
  void_pending?: boolean
}

/**
 * TradeGecko → Medusa for one order: reads the order as it is now in TradeGecko and
 * applies what Medusa lacks — shipments (with tracking), payment (captured in Medusa),
 * received returns (a Medusa return, received) and void (the Medusa order canceled when
 * Medusa allows it, else the reason is kept). Because it compares states, it applies each
 * event once whatever order or how often webhooks arrive, and the reconciliation job can
 * call it for any order. One order at a time (Medusa locking); orders from another store
 * on the same TradeGecko account (no order link here) are left alone.
 *
 * A failure is thrown after every change that could be applied was recorded (the webhook
 * delivery or the reconciliation retries it). No compensation: what Medusa applied
 * (shipments, captures, returns, cancel) is recorded on the order link at once and never
 * applied twice; undoing a capture or a cancel is not the plugin's to do.
 */
export const applyTradegeckoOrderStatusStep = createStep(
  "apply-tradegecko-order-status-to-medusa",
  async ({ tradegeckoOrderId, prefetched }: { tradegeckoOrderId: number; prefetched?: any }, { container }) => {
    const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
    const { orderSyncLevel } = await tradegecko.getSettings()
    if (!orderSyncAllows(orderSyncLevel, "status"))
      return new StepResponse<OrderStatusOutcome>({ applied: false, changes: [], reason: "order status sync is off" })
    const [known] = await tradegecko.listTradegeckoOrderLinks({ tradegecko_order_id: tradegeckoOrderId })
    if (!known) return new StepResponse<OrderStatusOutcome>({ applied: false, changes: [], reason: NOT_THIS_STORE })
    const outcome = await container
      .resolve(Modules.LOCKING)
      .execute(`tradegecko-order-${tradegeckoOrderId}`, () => applyLocked(container, tradegeckoOrderId, prefetched), {
        timeout: 60,
      })
    return new StepResponse<OrderStatusOutcome>(outcome)
  }
)

async function applyLocked(
  container: MedusaContainer,
  tradegeckoOrderId: number,
  prefetched?: any
): Promise<OrderStatusOutcome> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const logger = container.resolve("logger")
  const client = tradegecko.getClient()
  const [link] = await tradegecko.listTradegeckoOrderLinks({ tradegecko_order_id: tradegeckoOrderId })
  const order: any = prefetched ?? (await client.orders.get(tradegeckoOrderId))
  const lineMap = (link.line_map ?? {}) as Record<string, string>
  let applied = { ...((link.applied ?? {}) as AppliedState) }
  const changes: string[] = []
  // Each change is recorded as soon as Medusa has it, so a failure later never repeats it.
  const record = async (next: AppliedState, change?: string) => {
    applied = next
    if (change) changes.push(change)
    await tradegecko.updateTradegeckoOrderLinks({
      id: link.id,
      applied,
      tradegecko_status: order.status ?? link.tradegecko_status,
    })
  }
  // Each change stands alone: one that fails is reported (and retried by the caller) without
  // holding back the others of the same order.
  const failures: string[] = []
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn()
    } catch (e) {
      failures.push(`${what}: ${(e as Error).message}`)
    }
  }

  for (const id of (order.fulfillment_ids ?? []) as number[]) {
    if (applied.fulfillments?.[String(id)]?.shipped) continue
    await attempt(`TradeGecko fulfillment ${id}`, async () => {
      const { record: f, sideloaded } = await client.fulfillments.getWithSideloads(id, {
        include: ["fulfillment_line_items"],
      })
      const lines = ((sideloaded as any).fulfillment_line_items ?? (f as any).fulfillment_line_items ?? []) as Array<{
        order_line_item_id: number
        quantity: string
      }>
      const keep = (entry: AppliedFulfillments[string]) => ({
        ...applied,
        fulfillments: { ...(applied.fulfillments ?? {}), [String(id)]: entry },
      })
      const result = await applyTradegeckoFulfillment(
        container,
        link.order_id,
        lineMap,
        { ...(f as any), lines },
        applied.fulfillments?.[String(id)],
        (created) => record(keep(created))
      )
      if (result) {
        await record(
          keep(result),
          result.shipped
            ? `shipped (TradeGecko fulfillment ${id}${f.tracking_number ? `, tracking ${f.tracking_number}` : ""})`
            : `packed (TradeGecko fulfillment ${id})`
        )
      }
    })
  }

  if (order.payment_status === "paid" && !applied.paid_in_medusa) {
    await attempt("payment", async () => {
      // pay_sent first: the capture's payment.captured event must not send "pay" back.
      await record({ ...applied, pay_sent: true, pay_pending: false })
      const captured = await captureMedusaPayments(container, link.order_id)
      await record({ ...applied, paid_in_medusa: true }, captured ? `payment captured (${captured})` : undefined)
    })
  }

  for (const id of (order.fulfillment_return_ids ?? []) as number[]) {
    if (applied.returns?.[String(id)]) continue
    await attempt(`TradeGecko return ${id}`, async () => {
      const { record: ret, sideloaded } = await client.fulfillmentReturns.getWithSideloads(id, {
        include: ["fulfillment_return_line_items"],
      })
      if (ret.status !== "received") return
      const items = (
        ((sideloaded as any).fulfillment_return_line_items ??
          (ret as any).fulfillment_return_line_items ??
          []) as Array<{ order_line_item_id: number; quantity: string }>
      )
        .map((l) => ({ id: lineMap[String(l.order_line_item_id)], quantity: Number(l.quantity) }))
        .filter((i) => i.id && i.quantity > 0)
      if (!items.length) return
      const returnId = await receiveMedusaReturn(
        container,
        link.order_id,
        id,
        items,
        `TradeGecko return ${(ret as any).credit_note_number ?? id}`
      )
      await record(
        { ...applied, returns: { ...(applied.returns ?? {}), [String(id)]: returnId } },
        `return received (TradeGecko return ${id})`
      )
    })
  }

  if (order.status === "void" && !applied.void_in_medusa) {
    await attempt("void", async () => {
      await record({ ...applied, void_sent: true, void_pending: false })
      const {
        data: [current],
      } = await container
        .resolve(ContainerRegistrationKeys.QUERY)
        .graph({ entity: "order", fields: ["status"], filters: { id: link.order_id } })
      if ((current as any)?.status === "canceled") {
        // canceled in Medusa first (its void went to TradeGecko): nothing to do
        await record({ ...applied, void_in_medusa: "canceled" })
        return
      }
      const paid = await netCaptured(container, link.order_id)
      if (paid && !tradegecko.getOptions().cancelPaidOrdersOnVoid) {
        // Medusa's cancel refunds captured payments: a person decides (cancelPaidOrdersOnVoid).
        const text = `voided in TradeGecko, but paid in Medusa (${paid} captured): not canceled, since canceling refunds the payment. Cancel the order in Medusa to refund it, or dismiss.`
        await flagForPerson(tradegecko, link.order_id, "void", text)
        logger.warn(`TradeGecko void of order ${link.reference} (${link.order_id}) needs a person: ${text}`)
        await record(
          { ...applied, void_in_medusa: "left for a person: paid" },
          "voided in TradeGecko; paid, so left for a person (order health)"
        )
        return
      }
      try {
        await cancelOrderWorkflow(container).run({ input: { order_id: link.order_id } })
        await record({ ...applied, void_in_medusa: "canceled" }, "order canceled (voided in TradeGecko)")
      } catch (e) {
        // e.g. Medusa refuses to cancel an order with shipped items: kept, visible on the link and in order health.
        const text = `voided in TradeGecko, not canceled in Medusa: ${(e as Error).message}`
        await flagForPerson(tradegecko, link.order_id, "void", text)
        logger.warn(`TradeGecko void of order ${link.reference} (${link.order_id}) needs a person: ${text}`)
        await record({ ...applied, void_in_medusa: `not canceled: ${(e as Error).message}` }, text)
      }
    })
  }

  if (order.status !== link.tradegecko_status && !changes.length) {
    await tradegecko.updateTradegeckoOrderLinks({ id: link.id, tradegecko_status: order.status })
  }
  // A payment captured in Medusa while the order was a draft under review goes now.
  if (order.status !== "draft" && order.status !== "void") {
    await attempt("status changes waiting for TradeGecko", async () => {
      await sendWaitingOrderStatusChangesWorkflow(container).run({ input: { orderId: link.order_id } })
    })
  }
  if (failures.length) {
    throw new Error(`${changes.length ? `applied ${changes.join(", ")}; ` : ""}not yet: ${failures.join("; ")}`)
  }
  return changes.length ? { applied: true, changes } : { applied: false, changes, reason: "already applied" }
}

/** A TradeGecko change Medusa does not apply on its own: listed in order health for a person. */
async function flagForPerson(tradegecko: TradegeckoModuleService, orderId: string, action: string, text: string) {
  const [existing] = await tradegecko.listTradegeckoOrderStatusChanges({
    order_id: orderId,
    direction: "from_tradegecko",
    action,
  })
  if (existing)
    return tradegecko.updateTradegeckoOrderStatusChanges({ id: existing.id, status: "attention", last_error: text })
  return tradegecko.createTradegeckoOrderStatusChanges({
    order_id: orderId,
    direction: "from_tradegecko",
    action,
    status: "attention",
    last_error: text,
  })
}

type MedusaPayment = {
  id: string
  amount: any
  currency_code?: string
  captured_at?: string | null
  canceled_at?: string | null
  captures?: Array<{ amount: any }>
  refunds?: Array<{ amount: any }>
}

async function orderPayments(container: MedusaContainer, orderId: string): Promise<MedusaPayment[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "payment_collections.payments.id",
      "payment_collections.payments.amount",
      "payment_collections.payments.currency_code",
      "payment_collections.payments.captured_at",
      "payment_collections.payments.canceled_at",
      "payment_collections.payments.captures.amount",
      "payment_collections.payments.refunds.amount",
    ],
    filters: { id: orderId },
  })
  return ((data[0] as any)?.payment_collections ?? []).flatMap((pc: any) => pc.payments ?? [])
}

const sumOf = (xs: Array<{ amount: any }> | undefined) =>
  (xs ?? []).reduce((a, x) => MathBN.add(a, x.amount), MathBN.convert(0))

/** What the order's payments hold now (captured minus refunded), in words, or null when nothing. */
async function netCaptured(container: MedusaContainer, orderId: string): Promise<string | null> {
  const payments = await orderPayments(container, orderId)
  const net = payments.reduce(
    (a, p) => MathBN.add(a, MathBN.sub(sumOf(p.captures), sumOf(p.refunds))),
    MathBN.convert(0)
  )
  if (!MathBN.gt(net, 0)) return null
  return `${Number(MathBN.convert(net).toString()).toFixed(2)} ${(payments[0]?.currency_code ?? "").toUpperCase()}`.trim()
}

/**
 * Captures what is still uncaptured of the order's payments (a partial capture made in
 * Medusa before: only the rest); returns how many payments, in words, or null.
 */
async function captureMedusaPayments(container: MedusaContainer, orderId: string): Promise<string | null> {
  const open = (await orderPayments(container, orderId)).filter((p) => !p.captured_at && !p.canceled_at)
  let count = 0
  for (const p of open) {
    const rest = MathBN.sub(p.amount, sumOf(p.captures))
    if (!MathBN.gt(rest, 0)) continue
    await capturePaymentWorkflow(container).run({
      input: { payment_id: p.id, amount: MathBN.convert(rest).toNumber() },
    })
    count++
  }
  return count ? `${count} payment${count > 1 ? "s" : ""}` : null
}

/**
 * A return received in TradeGecko → a Medusa return, requested and received, the way the
 * admin records one (no return shipping: the goods are already back), restocked at the
 * location the order shipped from. Six Medusa workflows: the return carries the TradeGecko
 * return id (metadata), so one left half-way (crash, failure) is found again and finished
 * from where it stopped, instead of a second return being begun.
 */
async function receiveMedusaReturn(
  container: MedusaContainer,
  orderId: string,
  tgReturnId: number,
  items: Array<{ id: string; quantity: number }>,
  description: string
) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["fulfillments.location_id", "returns.id", "returns.status", "returns.metadata"],
    filters: { id: orderId },
  })
  const medusaOrder = data[0] as any
  const begun = (medusaOrder?.returns ?? []).find(
    (r: any) =>
      r.status !== "canceled" && String(r.metadata?.tradegecko_fulfillment_return_id ?? "") === String(tgReturnId)
  )
  let returnId = begun?.id as string | undefined
  if (begun?.status === "received") return returnId!
  if (!returnId) {
    const locationId = (medusaOrder?.fulfillments ?? []).map((f: any) => f.location_id).find(Boolean)
    const { result: change } = await beginReturnOrderWorkflow(container).run({
      input: {
        order_id: orderId,
        ...(locationId ? { location_id: locationId } : {}),
        description,
        metadata: { tradegecko_fulfillment_return_id: tgReturnId },
      },
    })
    returnId = (change as any).return_id as string
  }
  const { data: orderChanges } = await query.graph({
    entity: "order_change",
    fields: ["id", "change_type", "status", "actions.action"],
    filters: { return_id: returnId },
  })
  const live = (orderChanges as any[]).filter((c) => c.status !== "canceled" && c.status !== "declined")
  const request = live.find((c) => c.change_type === "return_request")
  const receive = live.find((c) => c.change_type === "return_receive")
  const has = (c: any, action: string) => (c?.actions ?? []).some((a: any) => a.action === action)
  if (request?.status !== "confirmed") {
    if (!has(request, "RETURN_ITEM"))
      await requestItemReturnWorkflow(container).run({ input: { return_id: returnId, items } })
    await confirmReturnRequestWorkflow(container).run({ input: { return_id: returnId } })
  }
  if (!receive) await beginReceiveReturnWorkflow(container).run({ input: { return_id: returnId, description } })
  if (!has(receive, "RECEIVE_RETURN_ITEM"))
    await receiveItemReturnRequestWorkflow(container).run({ input: { return_id: returnId, items } })
  await confirmReturnReceiveWorkflow(container).run({ input: { return_id: returnId } })
  return returnId
}

type AppliedFulfillments = Record<string, { medusa_fulfillment_id: string; shipped: boolean }>

interface TradegeckoFulfillmentForMedusa {
  id: number
  status?: string | null
  tracking_number?: string | null
  tracking_url?: string | null
  tracking_company?: string | null
  lines: Array<{ order_line_item_id: number; quantity: string | number }>
}

/**
 * TradeGecko → Medusa shipping, for one TradeGecko fulfillment of an order of this store
 * (called by applyLocked, which holds the order's lock): packed or shipped,
 * whole or partial, it becomes a Medusa fulfillment for the same lines, and a shipment with
 * its tracking number, carrier and URL once shipped. `done` is what an earlier delivery
 * already applied; returns the new entry, or null when there is nothing to do.
 */
async function applyTradegeckoFulfillment(
  container: MedusaContainer,
  orderId: string,
  lineMap: Record<string, string>,
  fulfillment: TradegeckoFulfillmentForMedusa,
  done: AppliedFulfillments[string] | undefined,
  onCreated?: (entry: AppliedFulfillments[string]) => Promise<unknown>
): Promise<AppliedFulfillments[string] | null> {
  const shipped = fulfillment.status === "fulfilled"
  // A fulfillment created before a crash or a failed shipment step carries the TradeGecko id: finish it.
  done ??= (await fulfillmentBegun(container, orderId, fulfillment.id)) ?? undefined
  if (done && (done.shipped || !shipped)) return done.shipped ? done : null

  const items = fulfillment.lines
    .map((l) => ({ id: lineMap[String(l.order_line_item_id)], quantity: Number(l.quantity) }))
    .filter((i) => i.id && i.quantity > 0)
  if (!items.length) return null
  const labels = fulfillment.tracking_number
    ? [
        {
          tracking_number: fulfillment.tracking_number,
          tracking_url: fulfillment.tracking_url ?? "",
          label_url: fulfillment.tracking_url ?? "",
        },
      ]
    : []

  let medusaFulfillmentId = done?.medusa_fulfillment_id
  if (!medusaFulfillmentId) {
    const { result } = await createOrderFulfillmentWorkflow(container).run({
      input: {
        order_id: orderId,
        items,
        labels,
        metadata: { tradegecko_fulfillment_id: fulfillment.id, tracking_company: fulfillment.tracking_company ?? null },
      },
    })
    medusaFulfillmentId = result.id
    // recorded before the shipment step, so a failure there resumes with this fulfillment
    await onCreated?.({ medusa_fulfillment_id: medusaFulfillmentId!, shipped: false })
  }
  if (shipped) {
    await createOrderShipmentWorkflow(container).run({
      input: { order_id: orderId, fulfillment_id: medusaFulfillmentId!, items, labels },
    })
  }
  return { medusa_fulfillment_id: medusaFulfillmentId!, shipped }
}

/** The Medusa fulfillment already made for this TradeGecko fulfillment (not canceled), if any. */
async function fulfillmentBegun(
  container: MedusaContainer,
  orderId: string,
  tradegeckoFulfillmentId: number
): Promise<AppliedFulfillments[string] | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["fulfillments.id", "fulfillments.metadata", "fulfillments.shipped_at", "fulfillments.canceled_at"],
    filters: { id: orderId },
  })
  const f = ((data[0] as any)?.fulfillments ?? []).find(
    (x: any) =>
      !x.canceled_at && String(x.metadata?.tradegecko_fulfillment_id ?? "") === String(tradegeckoFulfillmentId)
  )
  return f ? { medusa_fulfillment_id: f.id, shipped: Boolean(f.shipped_at) } : null
}
