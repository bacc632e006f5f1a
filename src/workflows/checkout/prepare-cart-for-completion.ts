import { ContainerRegistrationKeys, MathBN, MedusaError, Modules } from "@medusajs/framework/utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { deleteLineItemsWorkflow, updateLineItemInCartWorkflow } from "@medusajs/medusa/core-flows"
import { checkCartStock, rememberUnreachable, type CartStockShortage } from "./validate-cart-stock"

/** Cart metadata key set when the guard changed the cart; cleared by nothing (the cart completes). */
export const STOCK_ADJUSTED_KEY = "tradegecko_stock_adjusted"

/** Payment session states completeCartWorkflow would authorise (validateCartPaymentsStep). */
const PROCESSABLE = ["pending", "requires_more", "authorized", "captured", "pending_authorization"]

/** One stock check of a cart at a time, across processes (Medusa's locking module). */
export const cartStockLockKey = (cartId: string) => `tradegecko:cart-stock:${cartId}`

const CART_FIELDS = [
  "id",
  "completed_at",
  "currency_code",
  "total",
  "sales_channel_id",
  "metadata",
  "items.id",
  "items.variant_id",
  "items.quantity",
  "items.title",
  "items.product_title",
  "items.variant_title",
  "payment_collection.id",
  "payment_collection.payment_sessions.id",
  "payment_collection.payment_sessions.status",
  "payment_collection.payment_sessions.amount",
]

const money = (amount: unknown, currency: string) => {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency: currency.toUpperCase() }).format(Number(amount))
  } catch {
    return `${Number(amount).toFixed(2)} ${currency.toUpperCase()}`
  }
}

async function loadCart(container: MedusaContainer, cartId: string): Promise<any | undefined> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "cart", fields: CART_FIELDS, filters: { id: cartId } })
  return data[0]
}

export interface PrepareCartResult {
  /** Lines removed or lowered (the call then throws; returned only with `throwOnChange: false`). */
  adjusted: CartStockShortage[]
  /** TradeGecko was unreachable and the cart goes ahead on the last known stock. */
  unreachable?: string
}

/**
 * The checkout stock guard before completion (the plugin runs it as a middleware of
 * `POST /store/carts/:id/complete`, before completeCartWorkflow takes the cart's lock).
 *
 * 1. Re-reads stale TradeGecko stock of the cart's lines (one call) and compares every
 *    linked line with Medusa's availability.
 * 2. Lines that can no longer be sold as wanted are removed or lowered with Medusa's own
 *    cart workflows (deleteLineItemsWorkflow, updateLineItemInCartWorkflow): promotions,
 *    shipping prices, taxes and the payment collection are recomputed by Medusa, and the
 *    payment sessions made for the old total are deleted. The completion is refused with a
 *    message naming each item and the new total.
 * 3. A cart the guard changed is not completed until its payment is confirmed again for
 *    the new total (a new payment session): a storefront that simply retries gets a clear
 *    error asking the shopper to review the payment, never a charge of the old amount.
 *
 * Apps that complete carts with their own route call this before completeCartWorkflow.
 */
export async function prepareCartForCompletion(container: MedusaContainer, cartId: string): Promise<PrepareCartResult> {
  const locking = container.resolve(Modules.LOCKING)
  return await locking.execute(cartStockLockKey(cartId), () => prepareUnlocked(container, cartId), { timeout: 30 })
}

async function prepareUnlocked(container: MedusaContainer, cartId: string): Promise<PrepareCartResult> {
  const cart = await loadCart(container, cartId)
  // Unknown or already completed: Medusa's route answers (404, or the existing order).
  if (!cart || cart.completed_at) return { adjusted: [] }

  const check = await checkCartStock(container, cart, { compare: "all" })
  if (check.unreachable) rememberUnreachable(cart.id)

  if (check.shortages.length) {
    const removed = check.shortages.filter((s) => s.action === "removed").map((s) => s.line_item_id)
    const lowered = check.shortages.filter((s) => s.action === "lowered")
    if (removed.length) await deleteLineItemsWorkflow(container).run({ input: { cart_id: cart.id, ids: removed } })
    for (const s of lowered) {
      await updateLineItemInCartWorkflow(container).run({ input: { cart_id: cart.id, item_id: s.line_item_id, update: { quantity: s.available } } })
    }
    const after = await loadCart(container, cart.id)
    const parts = check.shortages.map((s) =>
      s.action === "removed"
        ? `"${s.name}" is sold out and was removed from your cart`
        : `only ${s.available} of "${s.name}" left, so the quantity was lowered from ${s.wanted} to ${s.available}`
    )
    const summary = parts.join("; ")
    await container.resolve(Modules.CART).updateCarts(cart.id, {
      metadata: {
        ...(after?.metadata ?? {}),
        [STOCK_ADJUSTED_KEY]: { at: new Date().toISOString(), summary, previous_total: Number(cart.total), total: Number(after?.total ?? 0) },
      },
    })
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      `Some items in your cart are no longer available: ${summary}. Your new total is ${money(after?.total ?? 0, cart.currency_code)}. ` +
        "Please review your cart and your payment, then place the order again."
    )
  }

  const adjusted = cart.metadata?.[STOCK_ADJUSTED_KEY]
  if (adjusted && MathBN.gt(cart.total ?? 0, 0)) {
    const sessions = ((cart.payment_collection?.payment_sessions ?? []) as any[]).filter((s) => PROCESSABLE.includes(s.status))
    const differs = (amount: unknown) => MathBN.gt(MathBN.abs(MathBN.sub(amount as number, cart.total)), 0.000001)
    if (!sessions.length || sessions.some((s) => differs(s.amount))) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Your cart changed because some items are no longer available (${adjusted.summary}). ` +
          `Please review your cart and confirm your payment again for the new total of ${money(cart.total, cart.currency_code)} before placing the order.`
      )
    }
  }
  return { adjusted: [], unreachable: check.unreachable }
}
