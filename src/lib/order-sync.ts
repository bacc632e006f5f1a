import type { ORDER_SYNC_LEVELS } from "../modules/tradegecko/options"

export type OrderSyncLevel = (typeof ORDER_SYNC_LEVELS)[number]

/**
 * What the order sync does: `push` sends placed orders to TradeGecko; `status` syncs
 * payment, void and shipping both ways (Medusa → TradeGecko pay/void, TradeGecko →
 * Medusa shipments, payments, returns, void, and the reconciliation).
 */
export type OrderSyncCapability = "push" | "status"

/** The one place that decides what the `orderSyncLevel` setting allows. */
export function orderSyncAllows(level: OrderSyncLevel | null | undefined, what: OrderSyncCapability): boolean {
  if (what === "push") return level === "push" || level === "push_and_status"
  return level === "push_and_status"
}

/** True when an order created at `createdAt` is before the `orderSyncFrom` setting (so it is not pushed). */
export function placedBeforeOrderSyncFrom(createdAt: string | Date, orderSyncFrom: string | null | undefined): boolean {
  return Boolean(orderSyncFrom) && new Date(createdAt).getTime() < new Date(orderSyncFrom!).getTime()
}

/**
 * The Idempotency-Key of an order's create in TradeGecko. Attempts reuse the first key;
 * `generation` > 1 is a new key, taken only after TradeGecko definitely refused the last
 * create (that key created nothing) or a created order was undone.
 */
export function orderPushIdempotencyKey(orderId: string, generation?: number): string {
  return generation && generation > 1 ? `medusa-order-${orderId}-${generation}` : `medusa-order-${orderId}`
}

/**
 * A create answered with this status created nothing and will be answered the same way
 * for 24 h under the same key: 4xx, except 408 (timeout), 409 (the key is in flight, or
 * was used with another body: nothing is known) and 429 (not processed; the key is free).
 */
export function isDefiniteRejection(status: number | null | undefined): boolean {
  return typeof status === "number" && status >= 400 && status < 500 && ![408, 409, 429].includes(status)
}
