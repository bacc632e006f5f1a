import type { TradegeckoClient } from "../modules/tradegecko/client"

/** The TradeGecko webhook events about an order's status (applied by the apply-tradegecko-order-status workflow). */
export const ORDER_STATUS_EVENTS = new Set([
  "order.finalized",
  "order.fulfilled",
  "fulfillment.create",
  "fulfillment.fulfilled",
  "fulfillment_return.create",
  "fulfillment_return.received",
  "payment.create",
])

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
