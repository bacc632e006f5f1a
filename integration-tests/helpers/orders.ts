import type { MedusaContainer } from "@medusajs/framework/types"
import type { storefront } from "./checkout"

/** Waits until the order's push link reaches `status`; fails naming its state and error. */
export async function waitForLink(container: MedusaContainer, orderId: string, status: string, timeoutMs = 20_000) {
  const tradegecko: any = container.resolve("tradegecko")
  const deadline = Date.now() + timeoutMs
  let link: any
  while (Date.now() < deadline) {
    ;[link] = await tradegecko.listTradegeckoOrderLinks({ order_id: orderId })
    if (link?.status === status) return link
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`order ${orderId} push is ${link?.status} (${link?.last_error}), expected ${status}`)
}

/** A shopper's whole checkout over the store API; returns the placed order. */
export async function placeOrder(
  shop: ReturnType<typeof storefront>,
  regionId: string,
  lines: Array<{ variant_id: string; quantity: number }>,
  email: string,
  opts: { country?: string; promotion?: string } = {}
) {
  const cart = await shop.cart(regionId, lines)
  await shop.enterCheckout(cart, email, opts.country)
  if (opts.promotion) {
    const applied = await shop.applyPromotion(cart, opts.promotion)
    if (applied.status !== 200)
      throw new Error(`promotion ${opts.promotion}: ${applied.status} ${JSON.stringify(applied.data)}`)
  }
  await shop.shipAndPay(cart)
  const res = await shop.complete(cart)
  if (res.status !== 200 || res.data.type !== "order")
    throw new Error(`checkout failed: ${res.status} ${JSON.stringify(res.data)}`)
  return res.data.order
}

/** Signed webhook delivery, as TradeGecko sends it. */
export function webhookDelivery(
  secret: string,
  sign: (secret: string, body: string) => string,
  event: string,
  objectId: number,
  deliveryId: string
) {
  const body = JSON.stringify({
    object_id: objectId,
    event,
    timestamp: Math.floor(Date.now() / 1000),
    resource_url: `https://api.tradegecko.com/x/${objectId}`,
  })
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-gecko-delivery": deliveryId,
      "x-gecko-signature": sign(secret, body),
    },
  }
}
