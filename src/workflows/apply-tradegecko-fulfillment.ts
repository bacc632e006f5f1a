import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createOrderFulfillmentWorkflow, createOrderShipmentWorkflow } from "@medusajs/medusa/core-flows"
import { TRADEGECKO_MODULE } from "../modules/tradegecko"
import type TradegeckoModuleService from "../modules/tradegecko/service"

type AppliedFulfillments = Record<string, { medusa_fulfillment_id: string; shipped: boolean }>

/**
 * TradeGecko → Medusa shipping: a TradeGecko fulfillment (packed or shipped, whole or
 * partial) becomes a Medusa fulfillment for the same lines, and a shipment with its
 * tracking number, carrier and URL once shipped. Applied once per TradeGecko
 * fulfillment and status, whatever order or how often the webhooks arrive; orders
 * from another store on the same account (no order link here) are ignored.
 */
export async function applyTradegeckoFulfillment(container: MedusaContainer, tradegeckoFulfillmentId: number) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const { orderSyncLevel } = await tradegecko.getSettings()
  if (orderSyncLevel !== "push_and_status") return { applied: false, reason: "order status sync is off" }
  const { record: fulfillment, sideloaded } = await tradegecko
    .getClient()
    .fulfillments.getWithSideloads(tradegeckoFulfillmentId, { include: ["fulfillment_line_items"] })
  // fulfillment.create and fulfillment.fulfilled often arrive together: one at a time per order.
  return container
    .resolve(Modules.LOCKING)
    .execute(`tradegecko-order-${fulfillment.order_id}`, () => applyLocked(container, fulfillment, sideloaded), { timeout: 30 })
}

async function applyLocked(container: MedusaContainer, fulfillment: any, sideloaded: unknown) {
  const tradegecko = container.resolve<TradegeckoModuleService>(TRADEGECKO_MODULE)
  const [link] = await tradegecko.listTradegeckoOrderLinks({ tradegecko_order_id: fulfillment.order_id })
  if (!link) return { applied: false, reason: "not an order of this store" }

  const applied = (link.applied ?? {}) as { fulfillments?: AppliedFulfillments }
  const done = applied.fulfillments?.[String(fulfillment.id)]
  const shipped = fulfillment.status === "fulfilled"
  if (done && (done.shipped || !shipped)) return { applied: false, reason: "already applied" }

  const lineMap = (link.line_map ?? {}) as Record<string, string>
  const lines = ((sideloaded as any).fulfillment_line_items ?? []) as Array<{ order_line_item_id: number; quantity: string | number }>
  const items = lines
    .map((l) => ({ id: lineMap[String(l.order_line_item_id)], quantity: Number(l.quantity) }))
    .filter((i) => i.id && i.quantity > 0)
  if (!items.length) return { applied: false, reason: "no Medusa lines in this fulfillment" }
  const labels = fulfillment.tracking_number
    ? [{ tracking_number: fulfillment.tracking_number, tracking_url: fulfillment.tracking_url ?? "", label_url: fulfillment.tracking_url ?? "" }]
    : []

  let medusaFulfillmentId = done?.medusa_fulfillment_id
  if (!medusaFulfillmentId) {
    const { result } = await createOrderFulfillmentWorkflow(container).run({
      input: {
        order_id: link.order_id,
        items,
        labels,
        metadata: { tradegecko_fulfillment_id: fulfillment.id, tracking_company: fulfillment.tracking_company ?? null },
      },
    })
    medusaFulfillmentId = result.id
  }
  if (shipped) {
    await createOrderShipmentWorkflow(container).run({
      input: { order_id: link.order_id, fulfillment_id: medusaFulfillmentId!, items, labels },
    })
  }
  await tradegecko.updateTradegeckoOrderLinks({
    id: link.id,
    tradegecko_status: shipped ? "shipped" : link.tradegecko_status,
    applied: {
      ...applied,
      fulfillments: { ...(applied.fulfillments ?? {}), [String(fulfillment.id)]: { medusa_fulfillment_id: medusaFulfillmentId!, shipped } },
    },
  })
  return { applied: true, medusa_fulfillment_id: medusaFulfillmentId, shipped }
}
