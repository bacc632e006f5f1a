import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import path from "node:path"
import { useShop, makeStockStale } from "../helpers/checkout"
import { checkoutCalls, useSandbox } from "../helpers/sandbox"
import { medusaVariantId, waitFor } from "../helpers/wait"
import { startCatalogSync } from "../../src/lib/start-catalog-sync"

jest.setTimeout(300_000)

/**
 * The account's rate limit (TradeGecko: 300 calls per 300 s window per account), shrunk:
 * 2 calls per 30 s window. A full catalog run costs 2 calls (the products with their
 * variants sideloaded, the images), so it alone can drain a window; the checkout's stock
 * check is one more call.
 */
const SEED = { products: 10, variantsPerProduct: 2, seed: 1 }
const LIMIT = 2
const WINDOW = 30
const tg = useSandbox({ seed: SEED })

/**
 * Starts the small limit just before a window ends, so the next window is a fresh one of
 * the full WINDOW seconds: the plugin has learnt the window from earlier answers (same
 * length, a huge limit) and must find the new limit out the way it does at any reset.
 */
async function freshSmallWindow() {
  const toBoundary = () => (WINDOW - ((Date.now() / 1000) % WINDOW)) * 1000
  if (toBoundary() > 1500) await new Promise((r) => setTimeout(r, toBoundary() - 1000))
  await tg.control("POST", "/rate-limit", { limit: LIMIT, windowSeconds: WINDOW }) // also resets the counters
  await tg.clearRequests()
  await new Promise((r) => setTimeout(r, toBoundary() + 300))
}

const entries = tg.requests

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    beforeEach(async () => {
      await tg.control("POST", "/rate-limit", { limit: 100_000, windowSeconds: WINDOW })
    })
    const shop = useShop({ api, getContainer }, tg, { seed: SEED })
    beforeEach(async () => {
      await (getContainer().resolve("tradegecko") as any).saveSettings({ orderSyncLevel: "off" })
    })

    afterEach(async () => {
      await tg.control("POST", "/rate-limit", { limit: 100_000, windowSeconds: WINDOW })
    })

    describe("Rate limit: the checkout's share of the account's window", () => {
      it("a catalog run draining the window leaves the checkout its share: the stock check is sent once, answered 200, and no call gets a 429", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const v = await medusaVariantId(container, 200002)
        const cart = await shop.cart(shop.regionId, [{ variant_id: v, quantity: 1 }])
        await shop.enterCheckout(cart)
        await shop.shipAndPay(cart)
        await freshSmallWindow()

        // The catalog run (background) takes what the window allows it, then waits for the reset.
        const catalog = startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null, full: true })
        await waitFor(async () => (await entries()).length >= LIMIT - 1, 20_000, "catalog calls sent")
        // anything more the catalog can send now is sent (and, if it could finish, it has)
        await Promise.race([catalog.done.catch(() => undefined), new Promise((r) => setTimeout(r, 5000))])
        const beforeCheckout = await entries()
        // the cart's stock is old, and changed in TradeGecko since
        await makeStockStale(container)
        await tg.control("POST", "/variants/200002/stock", { stock_on_hand: 7, location_id: 1 })

        const res = await shop.complete(cart)
        expect(res.status).toBe(200)
        expect(res.data.type).toBe("order")

        const log = await entries()
        // the checkout's stock check: one call, answered, not a 429 nor a wait
        expect(checkoutCalls(log).map((e) => e.status)).toEqual([200])
        expect(checkoutCalls(beforeCheckout)).toHaveLength(0)
        // the catalog had left room for it: the window was not drained by background work
        expect(beforeCheckout.length).toBeLessThan(LIMIT)
        expect(log.filter((e) => e.status === 429)).toHaveLength(0)
        // the stock was really read at checkout (not "unreachable, allowed on last known stock")
        expect(await tradegecko.listTradegeckoSyncRuns({ trigger: "checkout" })).toHaveLength(0)
        const [link] = await tradegecko.listTradegeckoVariantLinks({ tradegecko_variant_id: 200002 })
        expect(Date.now() - new Date(link.stock_synced_at).getTime()).toBeLessThan(120_000)

        // the catalog run finishes after the reset with its 2 calls, still without a 429
        const result = await catalog.done
        expect(result.status).toBe("succeeded")
        const after = await entries()
        expect(
          after
            .filter((e) => !checkoutCalls([e]).length)
            .map((e) => `${e.method} ${e.path} ${e.status}`)
            .sort()
        ).toEqual(["GET /images 200", "GET /products 200"])
        expect(after.filter((e) => e.status === 429)).toHaveLength(0)
      })

      it("a window drained by another app: the checkout does not wait, it completes on last known stock (recorded), or is refused when set to refuse", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const v = await medusaVariantId(container, 200002)
        const first = await shop.cart(shop.regionId, [{ variant_id: v, quantity: 1 }])
        await shop.enterCheckout(first)
        await shop.shipAndPay(first)
        await makeStockStale(container)
        await freshSmallWindow()
        // another app on the same account uses the whole window
        for (let i = 0; i < LIMIT; i++) expect((await tg.api("GET", "/products?limit=1")).status).toBe(200)
        expect((await tg.api("GET", "/products?limit=1")).status).toBe(429)
        await tg.clearRequests()

        try {
          const allowed = await shop.complete(first)
          expect(allowed.status).toBe(200)
          expect(allowed.data.type).toBe("order")
          // at most the one call that learnt the window was used up (429); never a wait and a second call
          const calls = checkoutCalls(await entries())
          expect(calls.length).toBeLessThanOrEqual(1)
          expect(calls.every((e) => e.status === 429)).toBe(true)
          const [run] = await tradegecko.listTradegeckoSyncRuns({ trigger: "checkout" })
          expect(run).toMatchObject({ kind: "stock", status: "failed" })
          expect(run.error).toContain(`cart ${first} completed on last known stock`)
          expect(run.error).toMatch(/rate limit/i)

          await tradegecko.saveSettings({ checkoutWhenUnreachable: "refuse" })
          const second = await shop.cart(shop.regionId, [{ variant_id: v, quantity: 1 }])
          await shop.enterCheckout(second)
          await shop.shipAndPay(second)
          await makeStockStale(container)
          const refused = await shop.complete(second)
          expect(refused.status).toBe(400)
          expect(refused.data.message).toContain("We could not confirm stock with our warehouse just now")
          expect(checkoutCalls(await entries()).every((e) => e.status === 429)).toBe(true)
        } finally {
          await tradegecko.saveSettings({ checkoutWhenUnreachable: null })
        }
      })
    })
  },
})
