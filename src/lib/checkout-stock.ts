import { MathBN } from "@medusajs/framework/utils"

/**
 * The checkout stock guard's vocabulary and messages (no I/O): the cart it reads, what it
 * finds, the words the shopper sees, and the lock and memory shared by the guard's workflows.
 */

export interface CartLike {
  id: string
  sales_channel_id?: string | null
  items?: Array<{
    id: string
    variant_id?: string | null
    quantity: number | string
    title?: string | null
    product_title?: string | null
    variant_title?: string | null
  }>
}

/** A cart line that cannot be sold in the wanted quantity. */
export interface CartStockShortage {
  line_item_id: string
  variant_id: string
  /** The item as the shopper sees it ("Product / Variant"). */
  name: string
  wanted: number
  available: number
  /** What fixing the cart does with the line. */
  action: "removed" | "lowered"
}

export interface CartStockCheck {
  /** Linked variants whose stock was stale and has just been re-read from TradeGecko. */
  refreshed: string[]
  /** TradeGecko calls made (0 or 1). */
  calls: number
  /** Lines that cannot be sold as wanted. Nothing in the cart has been changed. */
  shortages: CartStockShortage[]
  /** TradeGecko could not be reached; the order may go ahead on the last known stock. */
  unreachable?: string
}

/** Cart metadata key set when the guard changed the cart; cleared by nothing (the cart completes). */
export const STOCK_ADJUSTED_KEY = "tradegecko_stock_adjusted"

/** One stock check of a cart at a time, across processes (Medusa's locking module). */
export const cartStockLockKey = (cartId: string) => `tradegecko:cart-stock:${cartId}`

/** Payment session states completeCartWorkflow would authorise (validateCartPaymentsStep). */
const PROCESSABLE = ["pending", "requires_more", "authorized", "captured", "pending_authorization"]

export const lineName = (i: NonNullable<CartLike["items"]>[number]) =>
  [i.product_title, i.variant_title].filter(Boolean).join(" / ") || i.title || i.variant_id || i.id

export const money = (amount: unknown, currency: string) => {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(Number(amount))
  } catch {
    return `${Number(amount).toFixed(2)} ${currency.toUpperCase()}`
  }
}

/** The completion hook's refusal: nothing in the cart was changed. */
export function shortageRefusal(shortages: CartStockShortage[]): string {
  const parts = shortages.map((s) =>
    s.action === "removed"
      ? `"${s.name}" is sold out`
      : `only ${s.available} of "${s.name}" left (${s.wanted} in your cart)`
  )
  return `Some items in your cart are no longer available: ${parts.join("; ")}. Please review your cart and try again.`
}

/** What the guard did to the cart, in the shopper's words (kept on the cart too). */
export function adjustmentSummary(shortages: CartStockShortage[]): string {
  return shortages
    .map((s) =>
      s.action === "removed"
        ? `"${s.name}" is sold out and was removed from your cart`
        : `only ${s.available} of "${s.name}" left, so the quantity was lowered from ${s.wanted} to ${s.available}`
    )
    .join("; ")
}

/** The refusal after the guard changed the cart. */
export function adjustedRefusal(summary: string, total: unknown, currency: string): string {
  return (
    `Some items in your cart are no longer available: ${summary}. Your new total is ${money(total, currency)}. ` +
    "Please review your cart and your payment, then place the order again."
  )
}

/**
 * A cart the guard changed is not completed until its payment is confirmed again for the
 * new total (a processable payment session of that amount): the refusal, or null.
 */
export function paymentNotConfirmedRefusal(cart: {
  total?: unknown
  currency_code: string
  metadata?: Record<string, any> | null
  payment_collection?: { payment_sessions?: Array<{ status: string; amount: unknown }> } | null
}): string | null {
  const adjusted = cart.metadata?.[STOCK_ADJUSTED_KEY]
  if (!adjusted || !MathBN.gt((cart.total as number) ?? 0, 0)) return null
  const sessions = (cart.payment_collection?.payment_sessions ?? []).filter((s) => PROCESSABLE.includes(s.status))
  const differs = (amount: unknown) =>
    MathBN.gt(MathBN.abs(MathBN.sub(amount as number, cart.total as number)), 0.000001)
  if (sessions.length && !sessions.some((s) => differs(s.amount))) return null
  return (
    `Your cart changed because some items are no longer available (${adjusted.summary}). ` +
    `Please review your cart and confirm your payment again for the new total of ${money(cart.total, cart.currency_code)} before placing the order.`
  )
}

/* The route guard and the hook run in the same process, one after the other, for one request:
   a cart the guard let through on last known stock (TradeGecko unreachable) is not checked again. */
const recentlyUnreachable = new Map<string, number>()

export function rememberUnreachable(cartId: string, ms = 60_000) {
  const now = Date.now()
  for (const [id, until] of recentlyUnreachable) if (until < now) recentlyUnreachable.delete(id)
  recentlyUnreachable.set(cartId, now + ms)
}

export function forgetUnreachable(cartId: string) {
  recentlyUnreachable.delete(cartId)
}

export function takeRecentlyUnreachable(cartId: string): boolean {
  const until = recentlyUnreachable.get(cartId)
  recentlyUnreachable.delete(cartId)
  return until !== undefined && until >= Date.now()
}
