import type { TradegeckoClient } from "../../modules/tradegecko/client"

/**
 * THE table of TradeGecko events the plugin knows. One place, used by:
 * - the registration (ensureTradegeckoWebhooksWorkflow): one TradeGecko webhook per `subscribed` event;
 * - the receiver (POST /hooks/tradegecko): records a delivery of a `subscribed` event, acknowledges
 *   anything else and writes nothing;
 * - the worker (processTradegeckoWebhookWorkflow): runs the event's handler.
 *
 * A catalog event says which TradeGecko records to re-read; an order event says which
 * TradeGecko order it is about (the order's state is then applied to Medusa).
 */

export type CatalogScope = { product_ids?: number[]; variant_ids?: number[] }

export type TradegeckoWebhookEvent =
  | { name: string; scope: "catalog"; subscribed: boolean; catalogScope: (objectId: number) => CatalogScope }
  | {
      name: string
      scope: "order"
      subscribed: boolean
      orderId: (client: TradegeckoClient, objectId: number) => Promise<number | null>
    }

/** Event the receiver emits once a delivery is recorded; the workers process it. */
export const WEBHOOK_RECEIVED_EVENT = "tradegecko.webhook.received"

/** A delivery still "received" after this long lost its event (crash): the retry job processes it. */
export const STALE_DELIVERY_MS = 2 * 60_000

/** The order reconciliation records an order it could not apply as a delivery of this (internal) event. */
export const RECONCILE_EVENT = "order.reconcile"

const product = (objectId: number): CatalogScope => ({ product_ids: [objectId] })
const variant = (objectId: number): CatalogScope => ({ variant_ids: [objectId] })
const order = async (_client: TradegeckoClient, objectId: number) => objectId
const fulfillment = async (client: TradegeckoClient, objectId: number) =>
  (await client.fulfillments.get(objectId)).order_id ?? null
const fulfillmentReturn = async (client: TradegeckoClient, objectId: number) =>
  (await client.fulfillmentReturns.get(objectId)).order_id ?? null
const payment = async (client: TradegeckoClient, objectId: number) => {
  const p = await client.payments.get(objectId)
  if (!p.invoice_id) return null
  return (await client.invoices.get(p.invoice_id)).order_id ?? null
}

export const TRADEGECKO_WEBHOOK_EVENTS: readonly TradegeckoWebhookEvent[] = [
  { name: "product.create", scope: "catalog", subscribed: true, catalogScope: product },
  { name: "product.destroy", scope: "catalog", subscribed: true, catalogScope: product },
  { name: "variant.create", scope: "catalog", subscribed: true, catalogScope: variant },
  { name: "variant.stock_level_update", scope: "catalog", subscribed: true, catalogScope: variant },
  { name: "fulfillment.create", scope: "order", subscribed: true, orderId: fulfillment },
  { name: "fulfillment.fulfilled", scope: "order", subscribed: true, orderId: fulfillment },
  { name: "payment.create", scope: "order", subscribed: true, orderId: payment },
  { name: "fulfillment_return.create", scope: "order", subscribed: true, orderId: fulfillmentReturn },
  { name: "fulfillment_return.received", scope: "order", subscribed: true, orderId: fulfillmentReturn },
  { name: "order.finalized", scope: "order", subscribed: true, orderId: order },
  { name: "order.fulfilled", scope: "order", subscribed: true, orderId: order },
  // Not a TradeGecko event: an order the reconciliation could not apply, retried like a delivery.
  { name: RECONCILE_EVENT, scope: "order", subscribed: false, orderId: order },
]

/** The events the plugin subscribes to in TradeGecko (one webhook each), in table order. */
export const SUBSCRIBED_EVENTS: readonly string[] = TRADEGECKO_WEBHOOK_EVENTS.filter((e) => e.subscribed).map(
  (e) => e.name
)

/** The table's row for an event; undefined for an event the plugin does not handle. */
export function webhookEvent(name: string): TradegeckoWebhookEvent | undefined {
  return TRADEGECKO_WEBHOOK_EVENTS.find((e) => e.name === name)
}
