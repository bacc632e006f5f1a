import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createPromotionsWorkflow, updateShippingOptionsWorkflow } from "@medusajs/medusa/core-flows"
import path from "node:path"
import { useShop, makeStockStale } from "../helpers/checkout"
import { waitForLink } from "../helpers/orders"
import { startCatalogSync } from "../../src/lib/start-catalog-sync"
import { useSandbox } from "../helpers/sandbox"
import { medusaVariantId, waitFor } from "../helpers/wait"

jest.setTimeout(240_000)

const SEED = { products: 10, variantsPerProduct: 2, seed: 1 }
const tg = useSandbox({ seed: SEED })

const variantId = medusaVariantId

/** What the payment provider was asked to authorise for a cart's payment collection. */
async function payments(container: MedusaContainer, cartId: string) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const {
    data: [cart],
  } = await query.graph({ entity: "cart", fields: ["payment_collection.payments.amount"], filters: { id: cartId } })
  return (((cart as any).payment_collection?.payments ?? []) as any[]).map((p) => Number(p.amount))
}

/** TradeGecko's stock of one variant, summed over its locations, as TradeGecko reports it. */
async function tgStock(id: number) {
  const { body } = await tg.api("GET", `/variants/${id}`)
  return {
    onHand: Number(body.variant.stock_on_hand),
    committed: Number(body.variant.committed_stock),
    available: Number(body.variant.available_stock),
  }
}

/** A store whose default currency (EUR) is not the TradeGecko account's (USD), with an EU region and 19 % VAT. */
// A EUR store on a USD TradeGecko account: the merchant maps TradeGecko's "Euro Retail" list (id 1) to EUR.
const SETUP = { currency: "eur", countries: ["de", "nl"], taxRate: 19, priceLists: { eur: "1" } }
const VAT = 1.19

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    const shop = useShop({ api, getContainer }, tg, { seed: SEED, setup: SETUP })
    beforeEach(async () => {
      // orders placed here are not pushed: their TradeGecko commitments would change the stock under test
      await (getContainer().resolve("tradegecko") as any).saveSettings({ orderSyncLevel: "off" })
      await tg.clearRequests()
    })

    describe("Checkout guard: stock check at completion", () => {
      it("a fresh cart costs no TradeGecko call and completes", async () => {
        const container = getContainer()
        const cart = await shop.cart(shop.regionId, [{ variant_id: await variantId(container, 200001), quantity: 2 }])
        await shop.enterCheckout(cart)
        await shop.shipAndPay(cart)
        const res = await shop.complete(cart)
        expect(res.status).toBe(200)
        expect(res.data.type).toBe("order")
        expect(await tg.requests()).toEqual([])
      })

      it("item sold out at completion: removed with Medusa's cart workflows (promotion and shipping recomputed); a storefront that just retries is never charged the old total", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        await tradegecko.saveSettings({ orderSyncLevel: "push" })
        const kept = await variantId(container, 200002)
        const soldOut = await variantId(container, 200001)
        const cart = await shop.cart(shop.regionId, [
          { variant_id: kept, quantity: 2 },
          { variant_id: soldOut, quantity: 1 },
        ])
        const {
          data: { cart: c0 },
        } = await shop.get(cart)
        const full = Number(c0.item_subtotal)
        const keptLine = c0.items.find((i: any) => i.variant_id === kept)
        const keptSubtotal = Number(keptLine.unit_price) * keptLine.quantity
        expect(full).toBeGreaterThan(keptSubtotal + 6)

        // 5 € off a cart worth `full` (before tax); free shipping from an item total (with tax) just above the kept items', else 10 €
        await createPromotionsWorkflow(container).run({
          input: {
            promotionsData: [
              {
                code: "BIG5",
                type: "standard",
                status: "active",
                application_method: {
                  type: "fixed",
                  target_type: "order",
                  allocation: "across",
                  value: 5,
                  currency_code: "eur",
                },
                rules: [{ attribute: "item_subtotal", operator: "gte", values: [String(full)] }],
              },
            ],
          },
        })
        const [option] = await container.resolve(Modules.FULFILLMENT).listShippingOptions({})
        await updateShippingOptionsWorkflow(container).run({
          input: [
            {
              id: option.id,
              prices: [
                { currency_code: "eur", amount: 10 },
                {
                  currency_code: "eur",
                  amount: 0,
                  rules: [{ attribute: "item_total", operator: "gte", value: keptSubtotal * VAT + 1 }],
                },
              ] as any,
            },
          ],
        })

        await shop.enterCheckout(cart)
        expect((await shop.applyPromotion(cart, "BIG5")).status).toBe(200)
        await shop.shipAndPay(cart)
        const {
          data: { cart: c1 },
        } = await shop.get(cart)
        // the cart as the shopper is about to pay it: promotion applied, shipping free
        expect(Number(c1.discount_subtotal)).toBeCloseTo(5, 2)
        expect(Number(c1.shipping_total)).toBeCloseTo(0, 2)
        expect(Number(c1.total)).toBeCloseTo((full - 5) * VAT, 2)

        await makeStockStale(container)
        await tg.control("POST", "/variants/200001/stock", { stock_on_hand: 0, location_id: 1 })
        await tg.control("POST", "/variants/200001/stock", { stock_on_hand: 0, location_id: 2 })
        await tg.clearRequests()

        const refused = await shop.complete(cart)
        expect(refused.status).toBe(400)
        // no promotion below its threshold, shipping no longer free, 19 % VAT on both
        const expected = Math.round((keptSubtotal + 10) * VAT * 100) / 100
        // Medusa recomputed the cart: promotion gone, shipping charged, payment collection at the new total
        const {
          data: { cart: c2 },
        } = await shop.get(cart)
        expect(c2.items.map((i: any) => [i.variant_id, i.quantity])).toEqual([[kept, 2]])
        expect(Number(c2.discount_total)).toBeCloseTo(0, 2)
        expect(Number(c2.shipping_subtotal)).toBeCloseTo(10, 2)
        expect(Number(c2.total)).toBeCloseTo(expected, 2)
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const {
          data: [pcCart],
        } = await query.graph({ entity: "cart", fields: ["payment_collection.amount"], filters: { id: cart } })
        expect(Number((pcCart as any).payment_collection.amount)).toBeCloseTo(expected, 2)
        // the new stock is in Medusa
        const {
          data: [v],
        } = await query.graph({
          entity: "product_variant",
          fields: ["inventory_items.inventory.location_levels.stocked_quantity"],
          filters: { id: soldOut },
        })
        expect(
          (v as any).inventory_items[0].inventory.location_levels.map((l: any) => Number(l.stocked_quantity))
        ).toEqual([0])

        expect(refused.data.message).toMatch(
          /^Some items in your cart are no longer available: "Studio Tee 1 \/ .+" is sold out and was removed from your cart\. Your new total is €[\d,.]+\. Please review your cart and your payment, then place the order again\.$/
        )
        expect(refused.data.message).toContain(`€${expected.toFixed(2)}`)
        expect((await tg.requestCounts())["GET /variants"]).toBe(1)

        // the storefront simply retries, twice, with no new payment session: a clear error, nothing authorised
        for (let attempt = 0; attempt < 2; attempt++) {
          const retry = await shop.complete(cart)
          expect(retry.status).toBe(400)
          expect(retry.data.message).toContain(
            "Please review your cart and confirm your payment again for the new total of"
          )
          expect(retry.data.message).toContain(`€${expected.toFixed(2)}`)
        }
        expect(await payments(container, cart)).toEqual([])

        // the shopper confirms payment for the new total: the order and the authorised amount are the corrected total, to the cent
        expect((await shop.pay(cart)).status).toBe(200)
        const ok = await shop.complete(cart)
        expect(ok.status).toBe(200)
        expect(ok.data.type).toBe("order")
        expect(ok.data.order.items.map((i: any) => [i.variant_id, i.quantity])).toEqual([[kept, 2]])
        expect(Number(ok.data.order.total)).toBeCloseTo(expected, 2)
        expect(ok.data.order.currency_code).toBe("eur")
        const authorised = await payments(container, cart)
        expect(authorised).toHaveLength(1)
        expect(authorised[0]).toBeCloseTo(expected, 2)

        // TradeGecko got the order for what was sold, at the same total; the sold-out item committed nothing
        const link = await waitForLink(container, ok.data.order.id, "pushed")
        const { body } = await tg.api("GET", `/orders/${link.tradegecko_order_id}`)
        expect(Number(body.order.total)).toBeCloseTo(expected, 2)
        expect((await tgStock(200001)).committed).toBe(0)
        expect((await tgStock(200002)).committed).toBe(2)
      })

      it("stock TradeGecko has committed to an order pushed from this store is not counted twice: in-stock items are sold, nothing is oversold", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        await tradegecko.saveSettings({ orderSyncLevel: "push" })
        const v = await variantId(container, 200002)
        await tg.control("POST", "/variants/200002/stock", { stock_on_hand: 5, location_id: 1 })
        await tg.control("POST", "/variants/200002/stock", { stock_on_hand: 0, location_id: 2 })
        await makeStockStale(container)

        // order A takes 3 of 5; it is pushed and TradeGecko commits them (available 2), while Medusa still reserves them
        const a = await shop.cart(shop.regionId, [{ variant_id: v, quantity: 3 }])
        await shop.enterCheckout(a, "a@example.com")
        await shop.shipAndPay(a)
        const orderA = await shop.complete(a)
        expect(orderA.status).toBe(200)
        await waitForLink(container, orderA.data.order.id, "pushed")
        expect(await tgStock(200002)).toEqual({ onHand: 5, committed: 3, available: 2 })

        // B wants the 2 that are left; C wants 1 more than exists
        const b = await shop.cart(shop.regionId, [{ variant_id: v, quantity: 2 }])
        const c = await shop.cart(shop.regionId, [{ variant_id: v, quantity: 1 }])
        for (const cart of [b, c]) {
          await shop.enterCheckout(cart, `${cart}@example.com`)
          await shop.shipAndPay(cart)
        }
        // a Force sync of the product writes TradeGecko's available stock (2) and stamps it fresh: Medusa,
        // which still reserves A's 3, would say 0 left
        const [link] = await tradegecko.listTradegeckoVariantLinks({ variant_id: v })
        await startCatalogSync(container, {
          trigger: "manual",
          dryRun: false,
          scope: { product_ids: [link.tradegecko_product_id] },
        }).done
        await tg.clearRequests()
        const orderB = await shop.complete(b)
        expect(orderB.status).toBe(200)
        expect(orderB.data.type).toBe("order")
        expect(orderB.data.order.items.map((i: any) => [i.variant_id, i.quantity])).toEqual([[v, 2]])
        expect((await tg.requestCounts())["GET /variants"]).toBe(1)
        const [paidB] = await payments(container, b)
        expect(paidB).toBeCloseTo(Number(orderB.data.order.total), 2)
        await waitForLink(container, orderB.data.order.id, "pushed")
        expect(await tgStock(200002)).toEqual({ onHand: 5, committed: 5, available: 0 })

        // C: TradeGecko has nothing left; the item leaves the cart, nothing is sold or authorised
        await makeStockStale(container)
        const refused = await shop.complete(c)
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/is sold out and was removed from your cart/)
        expect(await payments(container, c)).toEqual([])
        expect(await tgStock(200002)).toEqual({ onHand: 5, committed: 5, available: 0 })
      })

      it("an item with only part of its quantity left: the quantity is lowered and the shopper told in words", async () => {
        const container = getContainer()
        const v = await variantId(container, 200002)
        const cart = await shop.cart(shop.regionId, [{ variant_id: v, quantity: 10 }])
        await shop.enterCheckout(cart)
        await shop.shipAndPay(cart)
        await makeStockStale(container)
        await tg.control("POST", "/variants/200002/stock", { stock_on_hand: 3, location_id: 1 })
        await tg.control("POST", "/variants/200002/stock", { stock_on_hand: 0, location_id: 2 })

        const refused = await shop.complete(cart)
        expect(refused.status).toBe(400)
        expect(refused.data.message).toContain('only 3 of "Studio Tee 1')
        expect(refused.data.message).toContain("so the quantity was lowered from 10 to 3")
        const { data } = await shop.get(cart)
        expect(data.cart.items.map((i: any) => i.quantity)).toEqual([3])
      })

      it("a 10-line stale cart is refreshed with exactly one TradeGecko call; keep_selling and unmanaged items pass at zero", async () => {
        const container = getContainer()
        // 200003 keep_selling with 0 stock, 200011 manage_stock false: both sell past zero
        const tgIds = [200001, 200002, 200003, 200004, 200009, 200010, 200011, 200012, 200017, 200018]
        const lines = await Promise.all(
          tgIds.map(async (id) => ({
            variant_id: await variantId(container, id),
            quantity: id === 200003 || id === 200011 ? 2 : 1,
          }))
        )
        const cart = await shop.cart(shop.regionId, lines)
        await shop.enterCheckout(cart)
        await shop.shipAndPay(cart)
        await makeStockStale(container)
        await tg.clearRequests()
        const res = await shop.complete(cart)
        expect(res.status).toBe(200)
        expect(res.data.order.items).toHaveLength(10)
        expect(await tg.requestCounts()).toEqual({ "GET /variants": 1 })
        const tradegecko: any = container.resolve("tradegecko")
        const links = await tradegecko.listTradegeckoVariantLinks({ tradegecko_variant_id: tgIds })
        expect(links.every((l: any) => Date.now() - new Date(l.stock_synced_at).getTime() < 60_000)).toBe(true)
      })
    })

    describe("Checkout guard: TradeGecko unreachable", () => {
      it("TradeGecko unreachable: by default the cart completes on last known stock, and the failed check is recorded", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const v = await variantId(container, 200002)
        const first = await shop.cart(shop.regionId, [{ variant_id: v, quantity: 1 }])
        await shop.enterCheckout(first)
        await shop.shipAndPay(first)
        await makeStockStale(container)
        await tg.control("POST", "/down")
        try {
          const allowed = await shop.complete(first)
          expect(allowed.status).toBe(200)
          expect(allowed.data.type).toBe("order")
          const [run] = await tradegecko.listTradegeckoSyncRuns({ trigger: "checkout" })
          expect(run).toMatchObject({ kind: "stock", status: "failed" })
          expect(run.error).toContain(`cart ${first} completed on last known stock`)
        } finally {
          await tg.control("POST", "/up")
        }
      })

      it("TradeGecko unreachable with checkoutWhenUnreachable 'refuse': the cart is refused in words and no order is placed", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const v = await variantId(container, 200002)
        await tradegecko.saveSettings({ checkoutWhenUnreachable: "refuse" })
        const second = await shop.cart(shop.regionId, [{ variant_id: v, quantity: 1 }])
        await shop.enterCheckout(second)
        await shop.shipAndPay(second)
        await makeStockStale(container)
        await tg.control("POST", "/down")
        try {
          const refused = await shop.complete(second)
          expect(refused.status).toBe(400)
          expect(refused.data.message).toContain("We could not confirm stock with our warehouse just now")
          const { data: orders } = await container
            .resolve(ContainerRegistrationKeys.QUERY)
            .graph({ entity: "order", fields: ["id"] })
          expect(orders).toEqual([])
        } finally {
          await tg.control("POST", "/up")
          await tradegecko.saveSettings({ checkoutWhenUnreachable: null })
        }
      })
    })

    describe("Checkout guard: background refresh on cart updates", () => {
      it("concurrent cart.updated events of one cart refresh its stale stock with one TradeGecko call", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const lines = [
          { variant_id: await variantId(container, 200001), quantity: 1 },
          { variant_id: await variantId(container, 200002), quantity: 1 },
        ]
        const cart = await shop.cart(shop.regionId, lines)
        await makeStockStale(container)
        // TradeGecko answers slowly, so each refresh is still running when the next event comes
        await tg.control("POST", "/faults", { mode: "delay", path: "^/variants", count: 10, delayMs: 3000 })
        await tg.clearRequests()

        // the storefront saves e-mail, address, ... in quick succession: four cart.updated events
        for (let i = 0; i < 4; i++) expect((await shop.enterCheckout(cart, `burst${i}@example.com`)).status).toBe(200)
        await waitFor(async () => {
          const links = await tradegecko.listTradegeckoVariantLinks({ variant_id: lines.map((l) => l.variant_id) })
          return links.every((l: any) => Date.now() - new Date(l.stock_synced_at).getTime() < 60_000)
        })
        // let every handler of the burst finish (each either called TradeGecko or found the stock fresh)
        await new Promise((r) => setTimeout(r, 4000))
        expect(await tg.requestCounts()).toEqual({ "GET /variants": 1 })
        await tg.control("DELETE", "/faults").catch(() => undefined)
      })

      it("entering checkout refreshes stale stock in the background without waiting for TradeGecko", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const v = await variantId(container, 200002)
        const cart = await shop.cart(shop.regionId, [{ variant_id: v, quantity: 1 }])
        await makeStockStale(container)
        await tg.control("POST", "/variants/200002/stock", { stock_on_hand: 9, location_id: 1 })
        // TradeGecko hangs: the store API must answer anyway
        await tg.control("POST", "/faults", { mode: "hang", path: "^/variants", count: 1, hangMs: 3000 })
        await tg.clearRequests()

        const res = await shop.enterCheckout(cart)
        expect(res.status).toBe(200)
        const [link] = await tradegecko.listTradegeckoVariantLinks({ variant_id: v })
        expect(Date.now() - new Date(link.stock_synced_at).getTime()).toBeGreaterThan(500_000) // not refreshed yet

        await waitFor(async () => {
          const [l] = await tradegecko.listTradegeckoVariantLinks({ variant_id: v })
          return Date.now() - new Date(l.stock_synced_at).getTime() < 60_000
        })
        expect((await tg.requestCounts())["GET /variants"]).toBeGreaterThanOrEqual(1)
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const {
          data: [variant],
        } = await query.graph({
          entity: "product_variant",
          fields: ["inventory_items.inventory.location_levels.stocked_quantity"],
          filters: { id: v },
        })
        expect(
          (variant as any).inventory_items[0].inventory.location_levels.map((l: any) => Number(l.stocked_quantity))
        ).toEqual([9 + 15])
      })
    })
  },
})
