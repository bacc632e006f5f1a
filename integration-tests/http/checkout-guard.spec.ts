import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import path from "node:path"
import { seedShop, storefront } from "../helpers/checkout"
import { useSandbox } from "../helpers/sandbox"
import { medusaVariantId, waitFor } from "../helpers/wait"

jest.setTimeout(240_000)

const SEED = { products: 10, variantsPerProduct: 2, seed: 1 }
const tg = useSandbox({ seed: SEED })

const variantId = medusaVariantId

/** Pretend the last stock read was 10 minutes ago (the window is 300 s). */
async function makeStale(container: MedusaContainer) {
  const tradegecko: any = container.resolve("tradegecko")
  const links = await tradegecko.listTradegeckoVariantLinks({})
  await tradegecko.updateTradegeckoVariantLinks(links.map((l: any) => ({ id: l.id, stock_synced_at: new Date(Date.now() - 600_000) })))
}


medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    let shop: ReturnType<typeof storefront>
    let regionId: string

    beforeEach(async () => {
      ;({ shop, regionId } = await seedShop(getContainer(), api, () => tg.control("POST", "/reset", { seed: SEED })))
      // orders placed here are not pushed: their TradeGecko commitments would change the stock under test
      await (getContainer().resolve("tradegecko") as any).saveSettings({ orderSyncLevel: "off" })
      await tg.clearRequests()
    })

    it("a fresh cart costs no TradeGecko call and completes", async () => {
      const container = getContainer()
      const cart = await shop.cart(regionId, [{ variant_id: await variantId(container, 200001), quantity: 2 }])
      await shop.enterCheckout(cart)
      await shop.shipAndPay(cart)
      const res = await shop.complete(cart)
      expect(res.status).toBe(200)
      expect(res.data.type).toBe("order")
      expect((await tg.control("GET", "/requests")).total).toBe(0)
    })

    it("stale cart, item sold out in TradeGecko: completion refused naming it, item removed, next attempt succeeds", async () => {
      const container = getContainer()
      const soldOut = await variantId(container, 200001)
      const other = await variantId(container, 200002)
      const cart = await shop.cart(regionId, [
        { variant_id: soldOut, quantity: 1 },
        { variant_id: other, quantity: 2 },
      ])
      await shop.enterCheckout(cart)
      await shop.shipAndPay(cart)
      await makeStale(container)
      await tg.control("POST", "/variants/200001/stock", { stock_on_hand: 0, location_id: 1 })
      await tg.control("POST", "/variants/200001/stock", { stock_on_hand: 0, location_id: 2 })
      await tg.clearRequests()

      const refused = await shop.complete(cart)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/^Some items in your cart are no longer available: "Studio Tee 1 \/ .+" is sold out and was removed from your cart\. Please review your cart and try again\.$/)
      expect((await tg.requestCounts())["GET /variants"]).toBe(1)

      const { data } = await shop.get(cart)
      expect(data.cart.items.map((i: any) => [i.variant_id, i.quantity])).toEqual([[other, 2]])
      // the new stock is in Medusa
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data: [v] } = await query.graph({ entity: "product_variant", fields: ["inventory_items.inventory.location_levels.stocked_quantity"], filters: { id: soldOut } })
      expect((v as any).inventory_items[0].inventory.location_levels.map((l: any) => Number(l.stocked_quantity))).toEqual([0])

      await shop.shipAndPay(cart)
      const ok = await shop.complete(cart)
      expect(ok.status).toBe(200)
      expect(ok.data.order.items.map((i: any) => [i.variant_id, i.quantity])).toEqual([[other, 2]])
    })

    it("lowers the quantity when only part is left", async () => {
      const container = getContainer()
      const v = await variantId(container, 200002)
      const cart = await shop.cart(regionId, [{ variant_id: v, quantity: 10 }])
      await shop.enterCheckout(cart)
      await shop.shipAndPay(cart)
      await makeStale(container)
      await tg.control("POST", "/variants/200002/stock", { stock_on_hand: 3, location_id: 1 })
      await tg.control("POST", "/variants/200002/stock", { stock_on_hand: 0, location_id: 2 })

      const refused = await shop.complete(cart)
      expect(refused.status).toBe(400)
      expect(refused.data.message).toContain("only 3 of \"Studio Tee 1")
      expect(refused.data.message).toContain("so the quantity was lowered from 10 to 3")
      const { data } = await shop.get(cart)
      expect(data.cart.items.map((i: any) => i.quantity)).toEqual([3])
    })

    it("a 10-line stale cart is refreshed with exactly one TradeGecko call; keep_selling and unmanaged items pass at zero", async () => {
      const container = getContainer()
      // 200003 keep_selling with 0 stock, 200011 manage_stock false: both sell past zero
      const tgIds = [200001, 200002, 200003, 200004, 200009, 200010, 200011, 200012, 200017, 200018]
      const lines = await Promise.all(tgIds.map(async (id) => ({ variant_id: await variantId(container, id), quantity: id === 200003 || id === 200011 ? 2 : 1 })))
      const cart = await shop.cart(regionId, lines)
      await shop.enterCheckout(cart)
      await shop.shipAndPay(cart)
      await makeStale(container)
      await tg.clearRequests()
      const res = await shop.complete(cart)
      expect(res.status).toBe(200)
      expect(res.data.order.items).toHaveLength(10)
      expect(await tg.requestCounts()).toEqual({ "GET /variants": 1 })
      const tradegecko: any = container.resolve("tradegecko")
      const links = await tradegecko.listTradegeckoVariantLinks({ tradegecko_variant_id: tgIds })
      expect(links.every((l: any) => Date.now() - new Date(l.stock_synced_at).getTime() < 60_000)).toBe(true)
    })

    it("TradeGecko unreachable: allowed on last known stock by default (and recorded), refused when set to refuse", async () => {
      const container = getContainer()
      const tradegecko: any = container.resolve("tradegecko")
      const v = await variantId(container, 200002)
      const first = await shop.cart(regionId, [{ variant_id: v, quantity: 1 }])
      await shop.enterCheckout(first)
      await shop.shipAndPay(first)
      await makeStale(container)
      await tg.control("POST", "/down")
      try {
        const allowed = await shop.complete(first)
        expect(allowed.status).toBe(200)
        expect(allowed.data.type).toBe("order")
        const [run] = await tradegecko.listTradegeckoSyncRuns({ trigger: "checkout" })
        expect(run).toMatchObject({ kind: "stock", status: "failed" })
        expect(run.error).toContain(`cart ${first} completed on last known stock`)

        await tradegecko.saveSettings({ checkoutWhenUnreachable: "refuse" })
        const second = await shop.cart(regionId, [{ variant_id: v, quantity: 1 }])
        await shop.enterCheckout(second)
        await shop.shipAndPay(second)
        const refused = await shop.complete(second)
        expect(refused.status).toBe(400)
        expect(refused.data.message).toContain("We could not confirm stock with our warehouse just now")
      } finally {
        await tg.control("POST", "/up")
        await tradegecko.saveSettings({ checkoutWhenUnreachable: null })
      }
    })

    it("entering checkout refreshes stale stock in the background without waiting for TradeGecko", async () => {
      const container = getContainer()
      const tradegecko: any = container.resolve("tradegecko")
      const v = await variantId(container, 200002)
      const cart = await shop.cart(regionId, [{ variant_id: v, quantity: 1 }])
      await makeStale(container)
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
      const { data: [variant] } = await query.graph({ entity: "product_variant", fields: ["inventory_items.inventory.location_levels.stocked_quantity"], filters: { id: v } })
      expect((variant as any).inventory_items[0].inventory.location_levels.map((l: any) => Number(l.stocked_quantity))).toEqual([9 + 15])
    })
  },
})
