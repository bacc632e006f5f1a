import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createProductsWorkflow, updateProductsWorkflow } from "@medusajs/medusa/core-flows"
import { webhookSignature } from "../../sandbox"
import { createAdminHeaders } from "../helpers/admin"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import path from "node:path"
import { startCatalogSync } from "../../src/lib/start-catalog-sync"
import { seedStore } from "../helpers/store"
import { useAppEnv } from "../helpers/env"
import { useSandbox } from "../helpers/sandbox"
import { waitFor } from "../helpers/wait"

jest.setTimeout(240_000)

const tg = useSandbox({ seed: { products: 10, variantsPerProduct: 2, seed: 1 } })
// the address the plugin registers its TradeGecko webhooks for (read by medusa-config.ts at boot)
process.env.TRADEGECKO_WEBHOOK_BASE_URL = "http://shop.example.test"
// the periodic webhook check (every 15 min by default) would register the subscriptions on its own when a
// quarter-hour passes during a test; these tests register them from the admin
useAppEnv({ TRADEGECKO_WEBHOOK_CHECK_SCHEDULE: "off" })

// Seed layout (sandbox/seed.ts, 10 products × 2 variants, seed 1):
const P = {
  images: 100001, // variants 200001 (SKU SBX-0001-S, 45 available: 39 + 6), 200002 (40); two images
  keepSelling: 100002, // variant 200003 keep_selling, 0 stock
  soldOut: 100003, // both variants 0
  archived: 100004,
  maxOnline: 100005, // variant 200009: 40 available, max_online 5
  unmanaged: 100006, // variant 200011 manage_stock false
  duplicateSku: 100007, // variant 200013 reuses SBX-0001-S
  disabled: 100008, // status disabled, not tagged "online"
  untagged: 100010, // not tagged "online"
}

async function sync(container: MedusaContainer, request: Partial<Parameters<typeof startCatalogSync>[1]> = {}) {
  const { done } = startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null, ...request })
  return done
}

async function medusaProduct(container: MedusaContainer, tgProductId: number) {
  const tradegecko: any = container.resolve("tradegecko")
  const [link] = await tradegecko.listTradegeckoProductLinks({ tradegecko_product_id: tgProductId })
  if (!link) return null
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product",
    fields: [
      "id",
      "title",
      "status",
      "handle",
      "images.url",
      "options.title",
      "options.values.value",
      "variants.id",
      "variants.sku",
      "variants.title",
      "variants.allow_backorder",
      "variants.manage_inventory",
      "variants.metadata",
      "variants.prices.amount",
      "variants.prices.currency_code",
      "variants.inventory_items.inventory.location_levels.stocked_quantity",
      "variants.inventory_items.inventory.location_levels.location_id",
      "sales_channels.id",
    ],
    filters: { id: link.product_id },
  })
  return { link, product: data[0] as any }
}

function variantByTg(product: any, tgVariantId: number) {
  return product.variants.find((v: any) => Number(v.metadata?.tradegecko_variant_id) === tgVariantId)
}

function stockOf(variant: any): number {
  const levels = variant.inventory_items?.[0]?.inventory?.location_levels ?? []
  return levels.reduce((n: number, l: any) => n + Number(l.stocked_quantity), 0)
}

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    let store: Awaited<ReturnType<typeof seedStore>>
    beforeEach(async () => {
      await tg.control("POST", "/reset", { seed: { products: 10, variantsPerProduct: 2, seed: 1 } })
      store = await seedStore(getContainer())
    })

    describe("Catalog import: first run", () => {
      it("imports the catalog: products, options, prices, images, stock rules, links and a recorded run", async () => {
        const container = getContainer()
        const result = await sync(container)
        expect(result.status).toBe("succeeded")
        expect(result.since).toBeNull()

        const tee = (await medusaProduct(container, P.images))!
        expect(tee.product).toMatchObject({ title: "Studio Tee 1", status: "published" })
        expect(tee.product.sales_channels.map((s: any) => s.id)).toEqual([store.salesChannelId])
        expect(tee.product.options.map((o: any) => o.title)).toEqual(["Size"])
        expect(tee.product.images).toHaveLength(2)
        const s = variantByTg(tee.product, 200001)
        expect(s.prices).toEqual(
          expect.arrayContaining([expect.objectContaining({ amount: 100, currency_code: "usd" })])
        )
        expect(stockOf(s)).toBe(45)
        expect(s.allow_backorder).toBe(false)
        expect(stockOf(variantByTg(tee.product, 200002))).toBe(40)

        // max_online caps online stock
        const capped = (await medusaProduct(container, P.maxOnline))!
        expect(stockOf(variantByTg(capped.product, 200009))).toBe(5)

        // manage_stock false → keeps selling with stock 0
        const unmanaged = (await medusaProduct(container, P.unmanaged))!
        const u = variantByTg(unmanaged.product, 200011)
        expect(u.allow_backorder).toBe(true)
        expect(stockOf(u)).toBe(0)
        expect(variantByTg(unmanaged.product, 200012).allow_backorder).toBe(false)

        // keep_selling on one variant → the whole product sells past zero, and stays visible
        const keep = (await medusaProduct(container, P.keepSelling))!
        expect(keep.product.variants.map((v: any) => v.allow_backorder)).toEqual([true, true])
        expect(keep.product.status).toBe("published")

        // nothing to sell → hidden by the sync
        const soldOut = (await medusaProduct(container, P.soldOut))!
        expect(soldOut.product.status).toBe("draft")
        expect(soldOut.link.hidden_by_sync).toBe(true)

        // archived in TradeGecko → not created
        expect(await medusaProduct(container, P.archived)).toBeNull()

        // duplicate SKU: not guessed, reported naming both records
        const tradegecko: any = container.resolve("tradegecko")
        const items = await tradegecko.listTradegeckoSyncRunItems({ run_id: result.run_id })
        const dupItem = items.find((i: any) => i.tradegecko_id === P.duplicateSku)
        expect(dupItem.message).toContain("SKU SBX-0001-S is shared by TradeGecko variants 200001 and 200013")
        expect(variantByTg((await medusaProduct(container, P.duplicateSku))!.product, 200013).sku).toBeNull()
        expect(items.find((i: any) => i.tradegecko_id === P.archived)).toMatchObject({
          outcome: "skipped",
          message: "archived in TradeGecko",
        })

        const [run] = await tradegecko.listTradegeckoSyncRuns({ id: result.run_id })
        expect(run).toMatchObject({ kind: "catalog", trigger: "manual", status: "succeeded", processed: 10, total: 10 })
        expect(run.counts).toMatchObject({ created: 9, skipped: 1, failed: 0 })
        expect(await tradegecko.listTradegeckoVariantLinks({})).toHaveLength(18)
      })

      it("a full import streams page by page (each page one call, its variants sideloaded) and ends as one pass would: a SKU shared across pages is taken off both variants", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        await tg.clearRequests()
        // three products a page: the tee (SBX-0001-S) and the product reusing its SKU are on different pages
        const result = await sync(container, { pageSize: 3 })
        expect(result.status).toBe("succeeded")

        const reads = (await tg.requests()).filter((e: any) => e.method === "GET")
        const productPages = reads.filter((e: any) => e.path === "/products")
        expect(productPages).toHaveLength(4) // 10 products, 3 a page
        for (const page of productPages) {
          const params = new URL(page.url, "http://x").searchParams
          expect([params.get("limit"), params.get("include")]).toEqual(["3", "variants"])
        }
        // every variant came with its page: none fetched on its own
        expect(reads.filter((e: any) => e.path === "/variants")).toHaveLength(0)
        expect(reads.filter((e: any) => e.path === "/images")).toHaveLength(1)

        const [run] = await tradegecko.listTradegeckoSyncRuns({ id: result.run_id })
        expect(run).toMatchObject({ status: "succeeded", processed: 10, total: 10 })
        expect(run.counts).toMatchObject({ created: 9, skipped: 1, failed: 0 })
        expect(await tradegecko.listTradegeckoVariantLinks({})).toHaveLength(18)

        // the SKU is on neither variant, and both products' outcomes say why
        const tee = (await medusaProduct(container, P.images))!
        const copy = (await medusaProduct(container, P.duplicateSku))!
        expect(variantByTg(tee.product, 200001).sku).toBeNull()
        expect(variantByTg(copy.product, 200013).sku).toBeNull()
        expect(variantByTg(tee.product, 200002).sku).toBe("SBX-0001-M")
        const items = await tradegecko.listTradegeckoSyncRunItems({ run_id: result.run_id })
        for (const id of [P.images, P.duplicateSku])
          expect(items.find((i: any) => i.tradegecko_id === id).message).toContain(
            "SKU SBX-0001-S is shared by TradeGecko variants 200001 and 200013"
          )
        // every page's stock and images arrived
        expect(stockOf(variantByTg(tee.product, 200001))).toBe(45)
        expect(tee.product.images).toHaveLength(2)
      })

      it("a dry run page by page tells both products of a SKU shared across pages, and writes nothing", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const result = await sync(container, { pageSize: 3, dryRun: true })
        const note = "SKU SBX-0001-S is shared by TradeGecko variants 200001 and 200013"
        for (const id of [P.images, P.duplicateSku])
          expect(result.planned.find((p: any) => p.tradegeckoProductId === id)!.message).toContain(note)
        expect(result.planned.filter((p: any) => p.action === "create")).toHaveLength(9)
        expect(await tradegecko.listTradegeckoProductLinks({})).toHaveLength(0)
      })

      it("a store without a stock location gets one mirroring TradeGecko's primary location", async () => {
        const container = getContainer()
        const { Modules } = await import("@medusajs/framework/utils")
        await container.resolve(Modules.STORE).updateStores(store.storeId, { default_location_id: null })
        await container.resolve(Modules.STOCK_LOCATION).deleteStockLocations(store.locations.map((l: any) => l.id))
        await sync(container)
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data: locations } = await query.graph({
          entity: "stock_location",
          fields: ["id", "name", "metadata", "sales_channels.id"],
        })
        expect(locations).toHaveLength(1)
        expect(locations[0]).toMatchObject({
          name: "Primary Location (TradeGecko)",
          metadata: { tradegecko_location_id: 1 },
        })
        expect((locations[0] as any).sales_channels.map((s: any) => s.id)).toEqual([store.salesChannelId])
        const tee = (await medusaProduct(container, P.images))!
        const levels = variantByTg(tee.product, 200001).inventory_items[0].inventory.location_levels
        expect(levels).toEqual([expect.objectContaining({ location_id: locations[0].id, stocked_quantity: 45 })])
      })

      it("links a pre-existing Medusa product by unique SKU instead of creating a duplicate", async () => {
        const container = getContainer()
        const {
          result: [existing],
        } = await createProductsWorkflow(container).run({
          input: {
            products: [
              {
                title: "Notebook already in the store",
                status: "published",
                options: [{ title: "Size", values: ["S"] }],
                variants: [
                  {
                    title: "S",
                    sku: "SBX-0002-S",
                    options: { Size: "S" },
                    prices: [{ amount: 1, currency_code: "usd" }],
                  },
                ],
              },
            ],
          },
        })
        const run = await sync(container)
        const tradegecko: any = container.resolve("tradegecko")
        expect(await tradegecko.listTradegeckoSyncRunItems({ run_id: run.run_id, outcome: "failed" })).toEqual([])
        expect(run.counts.failed).toBe(0)
        const linked = (await medusaProduct(container, P.keepSelling))!
        expect(linked.product.id).toBe(existing.id)
        expect(linked.product.variants.map((v: any) => v.sku).sort()).toEqual(["SBX-0002-M", "SBX-0002-S"])
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "product_variant",
          fields: ["id"],
          filters: { sku: "SBX-0002-S" },
        })
        expect(data).toHaveLength(1)
        expect(run.planned.find((p: any) => p.tradegeckoProductId === P.keepSelling)!.changes).toContain(
          "linked by SKU"
        )
      })

      it("applies the sync-from tag, the location map and the price list from the settings", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const second = (await seedStore(container, { locations: ["Overflow"] })).locations[0]
        await tradegecko.saveSettings({
          syncFromTag: "online",
          locationMap: { "1": store.locations[0].id, "2": second.id },
          defaultPriceList: "wholesale",
        })

        const run = await sync(container)
        expect(await medusaProduct(container, P.untagged)).toBeNull()
        expect(await medusaProduct(container, P.disabled)).toBeNull()
        expect(run.planned.find((p: any) => p.tradegeckoProductId === P.untagged)!.message).toBe('not tagged "online"')

        const tee = (await medusaProduct(container, P.images))!
        const v = variantByTg(tee.product, 200001)
        const levels = v.inventory_items[0].inventory.location_levels
        expect(Object.fromEntries(levels.map((l: any) => [l.location_id, Number(l.stocked_quantity)]))).toEqual({
          [store.locations[0].id]: 39,
          [second.id]: 6,
        })
        expect(v.prices.find((p: any) => p.currency_code === "usd").amount).toBe(60)

        // products already in Medusa outside the tag stay as they are
        await tradegecko.saveSettings({ syncFromTag: null })
        await sync(container, { full: true })
        const untagged = (await medusaProduct(container, P.untagged))!
        await tradegecko.saveSettings({ syncFromTag: "online" })
        await tg.api("PUT", "/products/100010", { product: { name: "Renamed outside the tag" } })
        await sync(container)
        expect((await medusaProduct(container, P.untagged))!.product.title).toBe(untagged.product.title)
        // back to the options (the module caches settings for a few seconds)
        await tradegecko.saveSettings({ syncFromTag: null, locationMap: null, defaultPriceList: null })
      })
    })

    describe("Catalog import: later runs", () => {
      it("incremental run: a second run asks TradeGecko only for what changed", async () => {
        const container = getContainer()
        await sync(container)
        const [first] = await (container.resolve("tradegecko") as any).listTradegeckoSyncRuns({ kind: "catalog" })
        await tg.clearRequests()
        await tg.control("POST", "/variants/200002/stock", { stock_on_hand: 7, location_id: 1 })

        const second = await sync(container)
        // from the first run's start (minus an overlap), not a full run
        const since = new Date(second.since ?? 0).getTime()
        expect(since).toBeLessThanOrEqual(new Date(first.started_at).getTime())
        expect(since).toBeGreaterThan(new Date(first.started_at).getTime() - 120_000)
        expect(second.counts).toMatchObject({ updated: 1, created: 0, failed: 0 })
        expect(second.planned.map((p: any) => p.tradegeckoProductId)).toEqual([P.images])
        const tee = (await medusaProduct(container, P.images))!
        expect(stockOf(variantByTg(tee.product, 200002))).toBe(7 + 15)
        expect(stockOf(variantByTg(tee.product, 200001))).toBe(45)

        const log = await tg.control("GET", "/requests")
        const apiCalls = log.entries.filter((e: any) => !e.path.startsWith("/oauth"))
        // changed products and changed variants; the changed variant's product with all its variants
        // (sideloaded); their images
        expect(apiCalls.map((e: any) => e.path).sort()).toEqual(["/images", "/products", "/products", "/variants"])
        expect(apiCalls.some((e: any) => e.path === "/products" && e.url.includes("updated_at_min"))).toBe(true)
        expect(apiCalls.some((e: any) => e.path === "/variants" && e.url.includes("updated_at_min"))).toBe(true)
        const parent = apiCalls.find((e: any) => e.path === "/products" && !e.url.includes("updated_at_min"))
        expect(new URL(parent.url, "http://x").searchParams.get("include")).toBe("variants")
        expect(decodeURIComponent(parent.url)).toContain(`ids[]=${P.images}`)

        // nothing changed since: one call per resource, nothing written
        await tg.clearRequests()
        const third = await sync(container)
        // (the 60 s overlap re-reads the product changed a moment ago; it is unchanged now)
        expect(third.counts).toMatchObject({ created: 0, updated: 0, failed: 0 })
        expect((await tg.control("GET", "/requests")).total).toBeLessThanOrEqual(5)
      })

      it("updates details, never deletes: archived product stays as it is, Medusa-only products untouched", async () => {
        const container = getContainer()
        const {
          result: [own],
        } = await createProductsWorkflow(container).run({
          input: {
            products: [
              {
                title: "Merchant's own mug",
                status: "published",
                options: [{ title: "Default", values: ["One"] }],
                variants: [{ title: "One", options: { Default: "One" }, prices: [] }],
              },
            ],
          },
        })
        await sync(container)
        expect((await tg.api("PUT", "/products/100009", { product: { name: "Coastal Boot Deluxe" } })).status).toBe(204)
        await sync(container)
        const boot = (await medusaProduct(container, 100009))!
        expect(boot.product.title).toBe("Coastal Boot Deluxe")

        expect((await tg.api("DELETE", "/products/100009")).status).toBe(204)
        const run = await sync(container)
        expect(run.planned.find((p: any) => p.tradegeckoProductId === 100009)!.message).toBe("archived in TradeGecko")
        const after = (await medusaProduct(container, 100009))!
        expect(after.product).toMatchObject({ id: boot.product.id, title: "Coastal Boot Deluxe", status: "published" })
        expect(after.link.archived).toBe(true)

        // a later rename in TradeGecko no longer reaches Medusa
        await tg.control("POST", "/products/100009", { name: "Should not sync" })
        await sync(container)
        expect((await medusaProduct(container, 100009))!.product.title).toBe("Coastal Boot Deluxe")

        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const { data } = await query.graph({
          entity: "product",
          fields: ["id", "title", "updated_at"],
          filters: { id: own.id },
        })
        expect((data[0] as any).title).toBe("Merchant's own mug")
        expect(new Date((data[0] as any).updated_at).getTime()).toBe(new Date(own.updated_at).getTime())
      })

      it("hides a product with nothing to sell, shows it again when stock returns, keeps a merchant-hidden product hidden", async () => {
        const container = getContainer()
        await sync(container)
        expect((await medusaProduct(container, P.soldOut))!.product.status).toBe("draft")

        await tg.control("POST", "/variants/200005/stock", { stock_on_hand: 5, location_id: 1 })
        await sync(container)
        const back = (await medusaProduct(container, P.soldOut))!
        expect(back.product.status).toBe("published")
        expect(back.link.hidden_by_sync).toBe(false)

        // the merchant unpublishes the tee by hand; stock changes must not publish it again
        const tee = (await medusaProduct(container, P.images))!
        await updateProductsWorkflow(container).run({
          input: { selector: { id: tee.product.id }, update: { status: "draft" } },
        })
        await tg.control("POST", "/variants/200001/stock", { stock_on_hand: 0, location_id: 1 })
        await tg.control("POST", "/variants/200001/stock", { stock_on_hand: 80, location_id: 1 })
        await sync(container)
        const stillHidden = (await medusaProduct(container, P.images))!
        expect(stillHidden.product.status).toBe("draft")
        expect(stockOf(variantByTg(stillHidden.product, 200001))).toBe(86)
      })

      it("an archived variant stays in Medusa but can no longer be bought", async () => {
        const container = getContainer()
        await sync(container)
        const before = variantByTg((await medusaProduct(container, P.images))!.product, 200002)
        expect(before.allow_backorder).toBe(false)
        expect(stockOf(before)).toBe(40)
        expect((await tg.api("DELETE", "/variants/200002")).status).toBe(204)
        await sync(container)
        const tee = (await medusaProduct(container, P.images))!
        const archived = variantByTg(tee.product, 200002)
        expect(archived?.id).toBe(before.id)
        expect(archived.allow_backorder).toBe(false)
        expect(stockOf(archived)).toBe(0)
        expect(stockOf(variantByTg(tee.product, 200001))).toBe(45)
      })
    })

    describe("Catalog runs: dry run and the admin", () => {
      it("dry run returns the plan and writes nothing", async () => {
        const container = getContainer()
        const { headers } = await createAdminHeaders(container)
        const res = await api.post("/admin/tradegecko/sync", { dry_run: true }, { headers })
        expect(res.status).toBe(200)
        expect(res.data.creates).toHaveLength(9)
        expect(res.data.hides).toEqual([P.soldOut, P.disabled])
        expect(res.data.skips).toEqual([{ tradegecko_product_id: P.archived, reason: "archived in TradeGecko" }])
        const tradegecko: any = container.resolve("tradegecko")
        expect(await tradegecko.listTradegeckoProductLinks({})).toHaveLength(0)
        expect(await tradegecko.listTradegeckoVariantLinks({})).toHaveLength(0)
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        expect((await query.graph({ entity: "product", fields: ["id"] })).data).toHaveLength(0)
        const [run] = await tradegecko.listTradegeckoSyncRuns({ id: res.data.run_id })
        expect(run).toMatchObject({ dry_run: true, status: "succeeded" })

        const bad = await api
          .post("/admin/tradegecko/sync", { dry_run: "yes" }, { headers })
          .catch((e: any) => e.response)
        expect(bad.status).toBe(400)
      })

      it("starts a run from the admin, lists it with progress, and refuses a second concurrent run", async () => {
        const container = getContainer()
        const { headers } = await createAdminHeaders(container)
        const tradegecko: any = container.resolve("tradegecko")
        // another process holds the catalog lock (a running run with a fresh heartbeat)
        const [held] = await tradegecko.createTradegeckoSyncRuns([
          { kind: "catalog", trigger: "schedule", status: "running", started_at: new Date(), heartbeat_at: new Date() },
        ])
        const refused = await api.post("/admin/tradegecko/sync", {}, { headers }).catch((e: any) => e.response)
        expect(refused.status).toBe(409)
        expect(refused.data.message).toBe(`A TradeGecko catalog sync is already running (${held.id})`)
        // ...until it misses four heartbeats (60 s): then it is declared dead and the lock is free
        await tradegecko.updateTradegeckoSyncRuns({ id: held.id, heartbeat_at: new Date(Date.now() - 11 * 60_000) })

        const started = await api.post("/admin/tradegecko/sync", { full: true }, { headers })
        expect(started.status).toBe(202)
        let run: any
        for (let i = 0; i < 100; i++) {
          run = (await api.get(`/admin/tradegecko/sync-runs/${started.data.run_id}`, { headers })).data.sync_run
          if (run.status !== "running") break
          await new Promise((r) => setTimeout(r, 100))
        }
        expect(run).toMatchObject({ status: "succeeded", processed: 10, total: 10 })
        expect(run.items).toHaveLength(10)
        const [dead] = await tradegecko.listTradegeckoSyncRuns({ id: held.id })
        expect(dead).toMatchObject({ status: "failed", error: expect.stringContaining("abandoned") })
        const list = await api.get("/admin/tradegecko/sync-runs", { headers })
        expect(list.data.count).toBe(2)
        expect(list.data.sync_runs[0].id).toBe(started.data.run_id)
      })

      it("Force sync re-reads one product and says what changed", async () => {
        const container = getContainer()
        const { headers } = await createAdminHeaders(container)
        await sync(container)
        const tee = (await medusaProduct(container, P.images))!
        await tg.control("POST", "/variants/200002/stock", { stock_on_hand: 3, location_id: 2 })
        await tg.clearRequests()

        const res = await api.post(`/admin/tradegecko/products/${tee.product.id}/sync`, {}, { headers })
        expect(res.data).toMatchObject({ tradegecko_product_id: P.images, outcome: "updated", changes: ["stock"] })
        expect(res.data.stock_changes).toEqual([
          { tradegecko_variant_id: 200002, location_id: store.locations[0].id, from: 40, to: 28 },
        ])
        expect(stockOf(variantByTg((await medusaProduct(container, P.images))!.product, 200002))).toBe(28)
        const counts = await tg.requestCounts()
        expect(counts["GET /variants"] ?? 0).toBeLessThanOrEqual(1)
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3)

        const notLinked = await api
          .post("/admin/tradegecko/products/prod_nope/sync", {}, { headers })
          .catch((e: any) => e.response)
        expect(notLinked.status).toBe(404)
      })
    })

    describe("Catalog webhooks", () => {
      const stockWebhook = () => {
        const body = JSON.stringify({
          object_id: 200001,
          event: "variant.stock_level_update",
          timestamp: 1700000000,
          resource_url: `${tg.sandbox.url}/variants/200001.json`,
        })
        return (sig: string, delivery: string) =>
          api
            .post("/hooks/tradegecko", body, {
              headers: {
                "content-type": "application/json",
                "x-gecko-signature": webhookSignature(sig, body),
                "x-gecko-delivery": delivery,
              },
            })
            .catch((e: any) => e.response)
      }

      it("registers its webhook subscriptions in TradeGecko once and reports their health", async () => {
        const container = getContainer()
        const { headers } = await createAdminHeaders(container)
        const before = await api.get("/admin/tradegecko/webhooks", { headers })
        expect(before.data.webhooks.map((w: any) => w.registered)).toEqual(Array(11).fill(false))

        const res = await api.post("/admin/tradegecko/webhooks", {}, { headers })
        expect(res.data.webhooks.map((w: any) => [w.event, w.registered])).toEqual([
          ["product.create", true],
          ["product.destroy", true],
          ["variant.create", true],
          ["variant.stock_level_update", true],
          ["fulfillment.create", true],
          ["fulfillment.fulfilled", true],
          ["payment.create", true],
          ["fulfillment_return.create", true],
          ["fulfillment_return.received", true],
          ["order.finalized", true],
          ["order.fulfilled", true],
        ])
        await api.post("/admin/tradegecko/webhooks", {}, { headers })
        const { body } = await tg.api("GET", "/webhooks")
        expect(body.webhooks).toHaveLength(11)
        expect(new Set(body.webhooks.map((w: any) => w.address))).toEqual(
          new Set(["http://shop.example.test/hooks/tradegecko"])
        )
        expect(body.webhooks.every((w: any) => w.oauth_application_id)).toBe(true)
      })

      it("webhooks: a delivery with a forged signature is refused with 401 and nothing is recorded", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        await sync(container)
        const post = stockWebhook()
        await tg.control("POST", "/variants/200001/stock", { stock_on_hand: 10, location_id: 1 })
        const forged = await post("wrong-secret", "d-forged")
        expect(forged.status).toBe(401)
        expect(await tradegecko.listTradegeckoWebhookDeliveries({})).toHaveLength(0)
        expect(stockOf(variantByTg((await medusaProduct(container, P.images))!.product, 200001))).toBe(45)
      })

      it("webhooks: a signed stock delivery updates Medusa's stock from TradeGecko, once; its repeat is acknowledged as a duplicate", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        await sync(container)
        const post = stockWebhook()
        await tg.control("POST", "/variants/200001/stock", { stock_on_hand: 10, location_id: 1 })
        const ok = await post(tg.sandbox.credentials.clientSecret, "d-1")
        expect(ok.status).toBe(200)
        const again = await post(tg.sandbox.credentials.clientSecret, "d-1")
        expect(again.data).toEqual({ received: true, duplicate: true })
        await waitFor(
          async () =>
            (await tradegecko.listTradegeckoWebhookDeliveries({ delivery_id: "d-1" }))[0]?.status === "processed"
        )
        expect(stockOf(variantByTg((await medusaProduct(container, P.images))!.product, 200001))).toBe(16)
        expect(await tradegecko.listTradegeckoWebhookDeliveries({ delivery_id: "d-1" })).toHaveLength(1)
        expect(await tradegecko.listTradegeckoSyncRuns({ kind: "product", trigger: "webhook" })).toHaveLength(1)
      })

      it("webhooks end to end: a stock change in the sandbox reaches Medusa through the sandbox's own signed delivery", async () => {
        const container = getContainer()
        await sync(container)
        const address = `${api.defaults.baseURL}/hooks/tradegecko`
        expect(
          (await tg.api("POST", "/webhooks", { webhook: { address, event: "variant.stock_level_update" } })).status
        ).toBe(201)
        expect(stockOf(variantByTg((await medusaProduct(container, P.maxOnline))!.product, 200009))).not.toBe(2)
        await tg.control("POST", "/variants/200009/stock", { stock_on_hand: 2, location_id: 1 })
        await waitFor(
          async () => stockOf(variantByTg((await medusaProduct(container, P.maxOnline))!.product, 200009)) === 2
        )
      })
    })
  },
})
