import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  beginReceiveReturnWorkflow,
  beginReturnOrderWorkflow,
  cancelOrderWorkflow,
  capturePaymentWorkflow,
  confirmReturnReceiveWorkflow,
  confirmReturnRequestWorkflow,
  receiveItemReturnRequestWorkflow,
  requestItemReturnWorkflow,
} from "@medusajs/medusa/core-flows"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"
import type { TradegeckoClient } from "../modules/tradegecko/client"
import { applyTradegeckoFulfillment, type AppliedFulfillments } from "./apply-tradegecko-fulfillment"
import { sendPendingOrderActions } from "./sync-order-status-to-tradegecko"

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

/** The outcome reason for an order another store on the same TradeGecko account pushed. */
export const NOT_THIS_STORE = "not an order of this store"

export interface OrderStatusOutcome {
  applied: boolean
  /** What changed in Medusa, in words. */
  changes: string[]
  reason?: string
}

/**
 * Which TradeGecko order a webhook is about: order events carry it, fulfillments and
 * returns point to it, a payment through its invoice. Null for events that are not
 * about an order's status.
 */
export async function tradegeckoOrderIdForEvent(client: TradegeckoClient, event: string, objectId: number): Promise<number | null> {
  switch (event) {
    case "order.finalized":
    case "order.fulfilled":
      return objectId
    case "fulfillment.create":
    case "fulfillment.fulfilled":
      return (await client.fulfillments.get(objectId)).order_id ?? null
    case "fulfillment_return.create":
    case "fulfillment_return.received":
      return (await client.fulfillmentReturns.get(objectId)).order_id ?? null
    case "payment.create": {
      const payment = await client.payments.get(objectId)
      if (!payment.invoice_id) return null
      return (await client.invoices.get(payment.invoice_id)).order_id ?? null
    }
    default:
      return null
  }
}

export const ORDER_STATUS_EVENTS = new Set([
  "order.finalized",
  "order.fulfilled",
  "fulfillment.create",
  "fulfillment.fulfilled",
  "fulfillment_return.create",
  "fulfillment_return.received",
  "payment.create",
])

/**
 * TradeGecko → Medusa for one order: reads the order as it is now in TradeGecko and
 * applies what Medusa lacks — shipments (with tracking), payment (captured in Medusa),
 * received returns (a Medusa return, received) and void (the Medusa order canceled when
 * Medusa allows it, else the reason is kept). Because it compares states, it applies each
 * event once whatever order or how often webhooks arrive, and the reconciliation job can
 * call it for any order. One order at a time (Medusa locking); orders from another store
 * on the same TradeGecko account (no order link here) are left alone.
 */
export async function applyTradegeckoOrderStatus(container: MedusaContainer, tradegeckoOrderId: number, prefetched?: any): Promise<OrderStatusOutcome> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const { orderSyncLevel } = await tradegecko.getSettings()
  if (orderSyncLevel !== "push_and_status") return { applied: false, changes: [], reason: "order status sync is off" }
  const [known] = await tradegecko.listTradegeckoOrderLinks({ tradegecko_order_id: tradegeckoOrderId })
  if (!known) return { applied: false, changes: [], reason: NOT_THIS_STORE }
  return container
    .resolve(Modules.LOCKING)
    .execute(`tradegecko-order-${tradegeckoOrderId}`, () => applyLocked(container, tradegeckoOrderId, prefetched), { timeout: 60 })
}

async function applyLocked(container: MedusaContainer, tradegeckoOrderId: number, prefetched?: any): Promise<OrderStatusOutcome> {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
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
    await tradegecko.updateTradegeckoOrderLinks({ id: link.id, applied, tradegecko_status: order.status ?? link.tradegecko_status })
  }

  for (const id of (order.fulfillment_ids ?? []) as number[]) {
    const done = applied.fulfillments?.[String(id)]
    if (done?.shipped) continue
    const { record: f, sideloaded } = await client.fulfillments.getWithSideloads(id, { include: ["fulfillment_line_items"] })
    const lines = ((sideloaded as any).fulfillment_line_items ?? (f as any).fulfillment_line_items ?? []) as Array<{ order_line_item_id: number; quantity: string }>
    const result = await applyTradegeckoFulfillment(container, link.order_id, lineMap, { ...(f as any), lines }, done)
    if (result) {
      await record(
        { ...applied, fulfillments: { ...(applied.fulfillments ?? {}), [String(id)]: result } },
        result.shipped ? `shipped (TradeGecko fulfillment ${id}${f.tracking_number ? `, tracking ${f.tracking_number}` : ""})` : `packed (TradeGecko fulfillment ${id})`
      )
    }
  }

  if (order.payment_status === "paid" && !applied.paid_in_medusa) {
    // pay_sent first: the capture's payment.captured event must not send "pay" back.
    await record({ ...applied, pay_sent: true, pay_pending: false })
    const captured = await captureMedusaPayments(container, link.order_id)
    await record({ ...applied, paid_in_medusa: true }, captured ? `payment captured (${captured})` : undefined)
  }

  for (const id of (order.fulfillment_return_ids ?? []) as number[]) {
    if (applied.returns?.[String(id)]) continue
    const { record: ret, sideloaded } = await client.fulfillmentReturns.getWithSideloads(id, { include: ["fulfillment_return_line_items"] })
    if (ret.status !== "received") continue
    const items = (((sideloaded as any).fulfillment_return_line_items ?? (ret as any).fulfillment_return_line_items ?? []) as Array<{ order_line_item_id: number; quantity: string }>)
      .map((l) => ({ id: lineMap[String(l.order_line_item_id)], quantity: Number(l.quantity) }))
      .filter((i) => i.id && i.quantity > 0)
    if (!items.length) continue
    const returnId = await receiveMedusaReturn(container, link.order_id, items, `TradeGecko return ${(ret as any).credit_note_number ?? id}`)
    await record({ ...applied, returns: { ...(applied.returns ?? {}), [String(id)]: returnId } }, `return received (TradeGecko return ${id})`)
  }

  if (order.status === "void" && !applied.void_in_medusa) {
    await record({ ...applied, void_sent: true, void_pending: false })
    try {
      await cancelOrderWorkflow(container).run({ input: { order_id: link.order_id } })
      await record({ ...applied, void_in_medusa: "canceled" }, "order canceled (voided in TradeGecko)")
    } catch (e) {
      // e.g. Medusa refuses to cancel an order with shipped items: kept, visible on the link.
      await record({ ...applied, void_in_medusa: `not canceled: ${(e as Error).message}` }, `voided in TradeGecko, not canceled in Medusa: ${(e as Error).message}`)
    }
  }

  if (order.status !== link.tradegecko_status && !changes.length) {
    await tradegecko.updateTradegeckoOrderLinks({ id: link.id, tradegecko_status: order.status })
  }
  // A payment captured in Medusa while the order was a draft under review goes now.
  if (order.status !== "draft" && order.status !== "void" && applied.pay_pending) {
    await sendPendingOrderActions(container, link.order_id)
  }
  return changes.length ? { applied: true, changes } : { applied: false, changes, reason: "already applied" }
}

/** Captures the order's uncaptured Medusa payments; returns how many, in words, or null. */
async function captureMedusaPayments(container: MedusaContainer, orderId: string): Promise<string | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["payment_collections.payments.id", "payment_collections.payments.captured_at", "payment_collections.payments.canceled_at"],
    filters: { id: orderId },
  })
  const payments = ((data[0] as any)?.payment_collections ?? []).flatMap((pc: any) => pc.payments ?? [])
  const open = payments.filter((p: any) => !p.captured_at && !p.canceled_at)
  for (const p of open) await capturePaymentWorkflow(container).run({ input: { payment_id: p.id } })
  return open.length ? `${open.length} payment${open.length > 1 ? "s" : ""}` : null
}

/**
 * A return received in TradeGecko → a Medusa return, requested and received, the way the
 * admin records one (no return shipping: the goods are already back), restocked at the
 * location the order shipped from.
 */
async function receiveMedusaReturn(container: MedusaContainer, orderId: string, items: Array<{ id: string; quantity: number }>, description: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "order", fields: ["fulfillments.location_id"], filters: { id: orderId } })
  const locationId = ((data[0] as any)?.fulfillments ?? []).map((f: any) => f.location_id).find(Boolean)
  const { result: change } = await beginReturnOrderWorkflow(container).run({
    input: { order_id: orderId, ...(locationId ? { location_id: locationId } : {}), description },
  })
  const returnId = (change as any).return_id as string
  await requestItemReturnWorkflow(container).run({ input: { return_id: returnId, items } })
  await confirmReturnRequestWorkflow(container).run({ input: { return_id: returnId } })
  await beginReceiveReturnWorkflow(container).run({ input: { return_id: returnId, description } })
  await receiveItemReturnRequestWorkflow(container).run({ input: { return_id: returnId, items } })
  await confirmReturnReceiveWorkflow(container).run({ input: { return_id: returnId } })
  return returnId
}
