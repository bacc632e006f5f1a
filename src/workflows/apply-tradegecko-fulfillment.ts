import type { MedusaContainer } from "@medusajs/framework/types"
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
  done: AppliedFulfillments[string] | undefined
): Promise<AppliedFulfillments[string] | null> {
  const shipped = fulfillment.status === "fulfilled"
  if (done && (done.shipped || !shipped)) return null

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
  }
  if (shipped) {
    await createOrderShipmentWorkflow(container).run({
      input: { order_id: orderId, fulfillment_id: medusaFulfillmentId!, items, labels },
    })
  }
  return { medusa_fulfillment_id: medusaFulfillmentId!, shipped }
}
