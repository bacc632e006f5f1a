import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createOrderFulfillmentWorkflow, createOrderShipmentWorkflow } from "@medusajs/medusa/core-flows"

export type AppliedFulfillments = Record<string, { medusa_fulfillment_id: string; shipped: boolean }>

export interface TradegeckoFulfillmentForMedusa {
  id: number
  status?: string | null
  tracking_number?: string | null
  tracking_url?: string | null
  tracking_company?: string | null
  lines: Array<{ order_line_item_id: number; quantity: string | number }>
}

/**
 * TradeGecko → Medusa shipping, for one TradeGecko fulfillment of an order of this store
 * (called by applyTradegeckoOrderStatus, which holds the order's lock): packed or shipped,
 * whole or partial, it becomes a Medusa fulfillment for the same lines, and a shipment with
 * its tracking number, carrier and URL once shipped. `done` is what an earlier delivery
 * already applied; returns the new entry, or null when there is nothing to do.
 */
export async function applyTradegeckoFulfillment(
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
    ? [{ tracking_number: fulfillment.tracking_number, tracking_url: fulfillment.tracking_url ?? "", label_url: fulfillment.tracking_url ?? "" }]
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
async function fulfillmentBegun(container: MedusaContainer, orderId: string, tradegeckoFulfillmentId: number): Promise<AppliedFulfillments[string] | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["fulfillments.id", "fulfillments.metadata", "fulfillments.shipped_at", "fulfillments.canceled_at"],
    filters: { id: orderId },
  })
  const f = ((data[0] as any)?.fulfillments ?? []).find(
    (x: any) => !x.canceled_at && String(x.metadata?.tradegecko_fulfillment_id ?? "") === String(tradegeckoFulfillmentId)
  )
  return f ? { medusa_fulfillment_id: f.id, shipped: Boolean(f.shipped_at) } : null
}
