import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createProductsWorkflow, updateProductsWorkflow } from "@medusajs/medusa/core-flows"
import path from "node:path"
import { slugify } from "../../src/mappings/tradegecko-product-to-medusa"
import { startCatalogSync } from "../../src/lib/start-catalog-sync"
import { createAdminHeaders } from "../helpers/admin"
import { seedStore } from "../helpers/store"
import { useAppEnv } from "../helpers/env"
import { useSandbox } from "../helpers/sandbox"
import { waitFor } from "../helpers/wait"

jest.setTimeout(240_000)

/**
 * A store with the catalog schedule off (webhooks and Force sync only): its TradeGecko
 * subscriptions are still made after connecting, and re-made when deleted in TradeGecko,
 * by the webhook check (every 2 s here, every 15 min by default); a product that failed
 * is retried with backoff (from 2 s here, 1 min by default). Jobs wake every second.
 */
const tg = useSandbox({ seed: { products: 2, variantsPerProduct: 1, seed: 1 } })
useAppEnv({
  TRADEGECKO_WEBHOOK_BASE_URL: "http://shop.example.test",
  TRADEGECKO_SYNC_SCHEDULE: "off",
  TRADEGECKO_WEBHOOK_CHECK_SCHEDULE: "*/2 * * * * *",
  TRADEGECKO_JOB_TICK_SECONDS: "1",
  TRADEGECKO_PRODUCT_RETRY_BASE_SECONDS: "2",
})

async function subscriptions() {
  const { body } = await tg.api("GET", "/webhooks")
  return body.webhooks as Array<{ id: number; event: string; address: string }>
}

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    describe("Catalog webhooks: the periodic check", () => {
      it("with productSyncSchedule off, the periodic check registers every subscription and repairs one deleted in TradeGecko", async () => {
        await waitFor(async () => (await subscriptions()).length === 11, 30_000, "11 TradeGecko subscriptions")
        const hooks = await subscriptions()
        expect(new Set(hooks.map((w) => w.address))).toEqual(new Set(["http://shop.example.test/hooks/tradegecko"]))

        const gone = hooks.filter(
          (w) => w.event === "variant.stock_level_update" || w.event === "fulfillment.fulfilled"
        )
        for (const w of gone) expect((await tg.api("DELETE", `/webhooks/${w.id}`)).status).toBe(204)
        expect(await subscriptions()).toHaveLength(9)

        await waitFor(async () => (await subscriptions()).length === 11, 30_000, "the deleted subscriptions re-created")
        const repaired = await subscriptions()
        expect(repaired.map((w) => w.event).sort()).toEqual(hooks.map((w) => w.event).sort())
        // really new subscriptions, not a replay of the deleted ones
        for (const w of gone) expect(repaired.find((r) => r.event === w.event)!.id).not.toBe(w.id)
      })
    })

    describe("Catalog import: failed products", () => {
      it("a product that failed is listed and retried with backoff until it succeeds", async () => {
        const container = getContainer()
        await seedStore(container)
        const { headers } = await createAdminHeaders(container)
        const { body } = await tg.api("GET", "/products/100001")
        const handle = `${slugify(body.product.name)}-tg100001`
        // the merchant's own product already uses the handle the import gives this one
        const {
          result: [own],
        } = await createProductsWorkflow(container).run({
          input: {
            products: [
              {
                title: "Merchant's tee",
                handle,
                options: [{ title: "Default", values: ["One"] }],
                variants: [{ title: "One", options: { Default: "One" }, prices: [] }],
              },
            ],
          },
        })
        const run = await startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null }).done
        expect(run.counts.failed).toBe(1)

        const failed = async () => (await api.get("/admin/tradegecko/failed-products", { headers })).data
        expect((await failed()).failed_products).toEqual([
          expect.objectContaining({
            tradegecko_product_id: 100001,
            attempts: expect.any(Number),
            last_error: expect.stringContaining("handle"),
          }),
        ])
        // retried on its own, failing again: still listed, each retry later than the previous one
        await waitFor(
          async () => ((await failed()).failed_products[0]?.attempts ?? 0) >= 3,
          60_000,
          "two automatic retries"
        )
        const listed = (await failed()).failed_products[0]
        expect(new Date(listed.next_retry_at).getTime() - new Date(listed.last_failed_at).getTime()).toBe(
          2000 * 2 ** (listed.attempts - 1)
        )

        // the merchant frees the handle; the next retry succeeds and the product leaves the list
        await updateProductsWorkflow(container).run({
          input: { selector: { id: own.id }, update: { handle: "merchants-tee" } },
        })
        await waitFor(async () => (await failed()).count === 0, 90_000, "the failed product imported")
        const tradegecko: any = container.resolve("tradegecko")
        const [link] = await tradegecko.listTradegeckoProductLinks({ tradegecko_product_id: 100001 })
        expect(link.product_id).not.toBe(own.id)
      })
    })
  },
})
