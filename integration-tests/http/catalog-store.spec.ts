import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { createStockLocationsWorkflow, updateStoresWorkflow } from "@medusajs/medusa/core-flows"
import path from "node:path"
import { createAdminHeaders } from "../helpers/admin"
import { seedCheckout, storefront } from "../helpers/checkout"
import { useAppEnv } from "../helpers/env"
import { useSandbox } from "../helpers/sandbox"
import { seedStore } from "../helpers/store"
import { waitFor } from "../helpers/wait"
import { webhookSignature } from "../../sandbox"
import { startCatalogSync } from "../../src/lib/start-catalog-sync"

jest.setTimeout(240_000)

/**
 * The catalog in a store set up like a merchant's: default currency EUR (Medusa's fresh
 * store), USD added for a US region, one stock location created in the admin and not yet
 * linked to any sales channel, a publishable key. TradeGecko's price lists are in USD
 * (retail, wholesale, buy) and EUR (custom list 1, "Euro Retail").
 */
const tg = useSandbox({ seed: { products: 10, variantsPerProduct: 2, seed: 1 } })
process.env.TRADEGECKO_WEBHOOK_BASE_URL = "http://shop.example.test"
// the periodic webhook check (every 15 min by default) registers the subscriptions on its own when a
// quarter-hour passes during a test (a second set next to the admin's); these tests register them from the admin
useAppEnv({ TRADEGECKO_WEBHOOK_CHECK_SCHEDULE: "off" })

const TEE = { product: 100001, s: 200001, m: 200002 } // S: retail 100 USD, 45 available; list 1 (EUR): 95

async function merchantStore(
  container: MedusaContainer,
  currencies: Array<{ currency_code: string; is_default?: boolean }>
) {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: stores } = await query.graph({ entity: "store", fields: ["id", "default_sales_channel_id"] })
  const store = stores[0] as any
  await updateStoresWorkflow(container).run({
    input: { selector: { id: store.id }, update: { supported_currencies: currencies } },
  })
  const { result: locations } = await createStockLocationsWorkflow(container).run({
    input: { locations: [{ name: "Warehouse" }] },
  })
  return { storeId: store.id as string, salesChannelId: store.default_sales_channel_id as string, locations }
}

async function importFromAdmin(api: any, headers: Record<string, string>, body: Record<string, unknown> = {}) {
  const started = await api.post("/admin/tradegecko/sync", body, { headers })
  expect(started.status).toBe(202)
  for (let i = 0; i < 600; i++) {
    const { data } = await api.get(`/admin/tradegecko/sync-runs/${started.data.run_id}`, { headers })
    if (data.sync_run.status !== "running") return data.sync_run
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error("the import did not finish")
}

async function variantPrices(container: MedusaContainer, tgVariantId: number) {
  const tradegecko: any = container.resolve("tradegecko")
  const [link] = await tradegecko.listTradegeckoVariantLinks({ tradegecko_variant_id: tgVariantId })
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product_variant",
    fields: [
      "id",
      "product_id",
      "price_set.prices.id",
      "price_set.prices.amount",
      "price_set.prices.currency_code",
      "price_set.prices.rules_count",
    ],
    filters: { id: link.variant_id },
  })
  const v = data[0] as any
  return {
    variantId: v.id as string,
    productId: v.product_id as string,
    prices: (v.price_set?.prices ?? [])
      .map((p: any) => ({
        amount: Number(p.amount),
        currency_code: p.currency_code,
        rules_count: Number(p.rules_count ?? 0),
      }))
      .sort((a: any, b: any) =>
        `${a.currency_code}${a.rules_count}`.localeCompare(`${b.currency_code}${b.rules_count}`)
      ),
  }
}

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    beforeEach(async () => {
      await tg.control("POST", "/reset", { seed: { products: 10, variantsPerProduct: 2, seed: 1 } })
      // the module caches settings for a few seconds: drop what a previous test saved
      await (getContainer().resolve("tradegecko") as any).saveSettings({ priceLists: null, salesChannelId: null })
    })

    describe("Catalog import: the merchant's store", () => {
      it("merchant store (EUR default, USD region, unlinked location): import, then buy an imported product at the TradeGecko USD price", async () => {
        const container = getContainer()
        const store = await merchantStore(container, [
          { currency_code: "eur", is_default: true },
          { currency_code: "usd" },
        ])
        const { region, publishableKey } = await seedCheckout(container, store)
        const { headers } = await createAdminHeaders(container)

        // before: the dry run says plainly that the location is not linked, and that the import links it
        const dry = await api.post("/admin/tradegecko/sync", { dry_run: true }, { headers })
        expect(dry.data.warnings).toEqual([
          `Stock location "Warehouse" (${store.locations[0].id}) is not linked to sales channel ${store.salesChannelId}, so its stock cannot be sold there: the import links it.`,
        ])

        const run = await importFromAdmin(api, headers)
        expect(run).toMatchObject({ status: "succeeded", counts: expect.objectContaining({ created: 9, failed: 0 }) })
        // after: the run says what it did
        expect(run.warnings).toEqual([
          `Stock location "Warehouse" (${store.locations[0].id}) was not linked to sales channel ${store.salesChannelId}; it has been linked so its stock can be sold there.`,
        ])

        // the USD price list is written as USD, never labelled EUR
        const tee = await variantPrices(container, TEE.s)
        expect(tee.prices).toEqual([{ amount: 100, currency_code: "usd", rules_count: 0 }])

        // the storefront sees it in stock at the USD price...
        const shop = storefront(api, publishableKey)
        const { data: listed } = await api.get(
          `/store/products?id=${tee.productId}&region_id=${region.id}&fields=*variants.calculated_price,+variants.inventory_quantity`,
          {
            headers: { "x-publishable-api-key": publishableKey },
          }
        )
        const sv = listed.products[0].variants.find((v: any) => v.id === tee.variantId)
        expect(sv.calculated_price).toMatchObject({ calculated_amount: 100, currency_code: "usd" })
        expect(sv.inventory_quantity).toBe(45)

        // ...and buys it
        const cartId = await shop.cart(region.id, [{ variant_id: tee.variantId, quantity: 2 }])
        await shop.enterCheckout(cartId)
        await shop.shipAndPay(cartId)
        const done = await shop.complete(cartId)
        expect(done.data.type).toBe("order")
        const order = done.data.order
        expect(order.currency_code).toBe("usd")
        expect(order.items).toEqual([
          expect.objectContaining({ variant_id: tee.variantId, unit_price: 100, quantity: 2 }),
        ])
        // 2 × 100 + 10 shipping, 10 % US sales tax on both
        expect(order.item_subtotal).toBe(200)
        expect(order.total).toBe(231)
      })

      it("descriptions: TradeGecko's HTML reads as text in the admin, and the HTML is kept in the product's metadata", async () => {
        const container = getContainer()
        await seedStore(container)
        const { headers } = await createAdminHeaders(container)
        const { body } = await tg.api("GET", `/products/${TEE.product}`)
        const html: string = body.product.description
        expect(html).toMatch(/^<p>.+<\/p>$/)
        await importFromAdmin(api, headers)
        const tradegecko: any = container.resolve("tradegecko")
        const [link] = await tradegecko.listTradegeckoProductLinks({ tradegecko_product_id: TEE.product })
        const { data } = await api.get(`/admin/products/${link.product_id}`, { headers })
        expect(data.product.description).toBe(html.slice(3, -4))
        expect(data.product.metadata).toMatchObject({
          tradegecko_product_id: TEE.product,
          tradegecko_description_html: html,
        })
      })
    })

    describe("Catalog import: prices", () => {
      it("prices: one TradeGecko price list per store currency from the settings page, each written in its own currency", async () => {
        const container = getContainer()
        await merchantStore(container, [{ currency_code: "eur", is_default: true }, { currency_code: "usd" }])
        const { headers } = await createAdminHeaders(container)

        const bad = await api
          .post("/admin/tradegecko/settings", { priceLists: { dollars: "retail" } }, { headers })
          .catch((e: any) => e.response)
        expect(bad.status).toBe(400)
        expect(bad.data.message).toContain("priceLists")

        const saved = await api.post(
          "/admin/tradegecko/settings",
          { priceLists: { usd: "retail", EUR: "1" } },
          { headers }
        )
        expect(saved.data.settings.options.priceLists).toEqual({ usd: "retail", eur: "1" })
        expect(saved.data.settings.catalog.price_lists).toHaveLength(2)
        expect(saved.data.settings.catalog.price_lists).toEqual(
          expect.arrayContaining([
            { price_list_id: "retail", currency_code: "usd" },
            { price_list_id: "1", currency_code: "eur" },
          ])
        )

        const run = await importFromAdmin(api, headers)
        expect(run.status).toBe("succeeded")
        // retail 100 USD, Euro Retail 95 EUR
        expect((await variantPrices(container, TEE.s)).prices).toEqual([
          { amount: 95, currency_code: "eur", rules_count: 0 },
          { amount: 100, currency_code: "usd", rules_count: 0 },
        ])

        // a EUR list mapped to USD is mislabelled: reported on the settings page, not written
        await api.post("/admin/tradegecko/settings", { priceLists: { usd: "1" } }, { headers })
        const { data } = await api.get("/admin/tradegecko/settings", { headers })
        expect(data.settings.catalog.warnings).toEqual([
          'TradeGecko price list "1" is in EUR but is mapped to USD: its prices are not written. Map it to EUR (option priceLists, or the settings page).',
        ])
        expect(data.settings.catalog.price_lists).toEqual([])
        await api.post("/admin/tradegecko/settings", { priceLists: null }, { headers })
      })

      it("prices: a price list whose currency the store lacks is reported (dry run, settings page, run) and never written under another currency", async () => {
        const container = getContainer()
        await merchantStore(container, [{ currency_code: "eur", is_default: true }])
        const { headers } = await createAdminHeaders(container)
        const warning =
          'TradeGecko price list "retail" is in USD, which this store does not support: no USD prices are written. Add USD to the store\'s currencies (Settings → Store), or map a price list in a currency the store sells in (option priceLists, or the settings page).'

        const { data: settings } = await api.get("/admin/tradegecko/settings", { headers })
        expect(settings.settings.catalog.warnings).toContain(warning)
        const dry = await api.post("/admin/tradegecko/sync", { dry_run: true }, { headers })
        expect(dry.data.warnings).toContain(warning)

        const run = await importFromAdmin(api, headers)
        expect(run.warnings).toContain(warning)
        expect((await variantPrices(container, TEE.s)).prices).toEqual([])
      })

      it("never deletes a merchant's prices: a TradeGecko price change updates only the plugin's own price", async () => {
        const container = getContainer()
        // USD store here, so that this test shows the deleted prices alone (not the EUR label)
        const { region } = await seedCheckout(
          container,
          await merchantStore(container, [{ currency_code: "usd", is_default: true }, { currency_code: "eur" }])
        )
        const { headers } = await createAdminHeaders(container)
        const firstRun = await importFromAdmin(api, headers)
        expect(firstRun.status).toBe("succeeded")
        const before = await variantPrices(container, TEE.s)

        // the merchant adds a EUR price and a US-region price in the admin (the admin sends every price)
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const {
          data: [v],
        } = await query.graph({
          entity: "product_variant",
          fields: ["price_set.prices.id", "price_set.prices.currency_code"],
          filters: { id: before.variantId },
        })
        const usdId = (v as any).price_set.prices.find((p: any) => p.currency_code === "usd").id
        const edited = await api.post(
          `/admin/products/${before.productId}/variants/${before.variantId}`,
          {
            prices: [
              { id: usdId, amount: 100, currency_code: "usd" },
              { amount: 89, currency_code: "eur" },
              { amount: 120, currency_code: "usd", rules: { region_id: region.id } },
            ],
          },
          { headers }
        )
        expect(edited.status).toBe(200)

        // TradeGecko's retail price changes; the next import writes it
        expect((await tg.api("PUT", `/variants/${TEE.s}`, { variant: { retail_price: "110.0" } })).status).toBe(204)
        const run = await importFromAdmin(api, headers)
        expect(run.status).toBe("succeeded")
        expect((await variantPrices(container, TEE.s)).prices).toEqual([
          { amount: 89, currency_code: "eur", rules_count: 0 },
          { amount: 110, currency_code: "usd", rules_count: 0 },
          { amount: 120, currency_code: "usd", rules_count: 1 },
        ])
      })
    })

    describe("Catalog import: publishing and stock", () => {
      it("a product disabled in TradeGecko is not published, and is published once enabled again", async () => {
        const container = getContainer()
        await merchantStore(container, [{ currency_code: "eur", is_default: true }, { currency_code: "usd" }])
        const { headers } = await createAdminHeaders(container)
        const DISABLED = 100008
        const run = await importFromAdmin(api, headers)
        const tradegecko: any = container.resolve("tradegecko")
        const [link] = await tradegecko.listTradegeckoProductLinks({ tradegecko_product_id: DISABLED })
        const { data: hidden } = await api.get(`/admin/products/${link.product_id}`, { headers })
        expect(hidden.product.status).toBe("draft")
        expect(run.items.find((i: any) => i.tradegecko_id === DISABLED).changes.changes).toEqual([
          "created",
          "hidden: disabled in TradeGecko",
        ])

        expect((await tg.api("PUT", `/products/${DISABLED}`, { product: { status: "active" } })).status).toBe(204)
        await importFromAdmin(api, headers)
        const { data: shown } = await api.get(`/admin/products/${link.product_id}`, { headers })
        expect(shown.product.status).toBe("published")
      })

      it("stale stock never overwrites fresher stock: a webhook during a long catalog run wins, and the run's stock is stamped with its read time", async () => {
        const container = getContainer()
        await seedStore(container)
        const tradegecko: any = container.resolve("tradegecko")
        const stockOf = async (tgVariantId: number) => {
          const [link] = await tradegecko.listTradegeckoVariantLinks({ tradegecko_variant_id: tgVariantId })
          const levels = await (container.resolve("inventory") as any).listInventoryLevels({
            inventory_item_id: link.inventory_item_id,
          })
          return {
            qty: levels.reduce((n: number, l: any) => n + Number(l.stocked_quantity), 0),
            syncedAt: new Date(link.stock_synced_at).getTime(),
          }
        }
        await startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null }).done
        expect((await stockOf(TEE.s)).qty).toBe(45)

        // a full run reads the variants (with their products), then waits on TradeGecko (its image listing is slow)
        await tg.control("POST", "/faults", { mode: "delay", path: "^/images", count: 1, delayMs: 5000 })
        await tg.clearRequests()
        const slow = startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null, full: true })
        await waitFor(
          async () => ((await tg.requestCounts())["GET /products"] ?? 0) >= 1,
          20_000,
          "the full run reading the products and their variants"
        )
        const afterRead = Date.now()

        // meanwhile stock moves in TradeGecko and its webhook is processed: 10 + 6 available
        await tg.control("POST", `/variants/${TEE.s}/stock`, { stock_on_hand: 10, location_id: 1 })
        const body = JSON.stringify({
          object_id: TEE.s,
          event: "variant.stock_level_update",
          timestamp: 1700000000,
          resource_url: `${tg.sandbox.url}/variants/${TEE.s}.json`,
        })
        const hook = await api.post("/hooks/tradegecko", body, {
          headers: {
            "content-type": "application/json",
            "x-gecko-signature": webhookSignature(tg.sandbox.credentials.clientSecret, body),
            "x-gecko-delivery": "d-fresh",
          },
        })
        expect(hook.status).toBe(200)
        await waitFor(
          async () =>
            (await tradegecko.listTradegeckoWebhookDeliveries({ delivery_id: "d-fresh" }))[0]?.status === "processed"
        )
        const fresh = await stockOf(TEE.s)
        expect(fresh.qty).toBe(16)

        const result = await slow.done
        expect(result.status).toBe("succeeded")
        // the run's older number (45) did not roll the webhook's back, nor its stamp
        expect(await stockOf(TEE.s)).toEqual(fresh)
        // another variant the run did write is stamped no later than when the run read it
        const other = await stockOf(200003)
        expect(other.syncedAt).toBeLessThanOrEqual(afterRead)
      })
    })

    describe("Catalog import: shared SKUs", () => {
      it("a shared SKU stays unassigned: Force sync of one of its products, and a new TradeGecko product reusing a synced SKU in an incremental run", async () => {
        const container = getContainer()
        await seedStore(container)
        const { headers } = await createAdminHeaders(container)
        const tradegecko: any = container.resolve("tradegecko")
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const skuOf = async (tgVariantId: number) => {
          const [link] = await tradegecko.listTradegeckoVariantLinks({ tradegecko_variant_id: tgVariantId })
          const { data } = await query.graph({
            entity: "product_variant",
            fields: ["id", "sku"],
            filters: { id: link.variant_id },
          })
          return { variantId: link.variant_id as string, sku: (data[0] as any).sku as string | null }
        }
        await startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null }).done
        expect((await skuOf(TEE.s)).sku).toBeNull() // SBX-0001-S is shared by 200001 and 200013

        // the tee changes in TradeGecko; Force sync reads only the tee, yet knows the SKU is shared
        await tg.api("PUT", `/products/${TEE.product}`, { product: { name: "Studio Tee One" } })
        const [plink] = await tradegecko.listTradegeckoProductLinks({ tradegecko_product_id: TEE.product })
        const forced = await api.post(`/admin/tradegecko/products/${plink.product_id}/sync`, {}, { headers })
        expect(forced.data.outcome).toBe("updated")
        expect(forced.data.message).toContain("SKU SBX-0001-S is shared by TradeGecko variants 200001 and 200013")
        expect((await skuOf(TEE.s)).sku).toBeNull()

        // a new TradeGecko product reuses SBX-0002-S (variant 200003, already in Medusa)
        const before = await skuOf(200003)
        const created = await tg.api("POST", "/products", { product: { name: "Copycat Notebook", opt1: "Size" } })
        expect(created.status).toBe(201)
        const variant = await tg.api("POST", "/variants", {
          variant: {
            product_id: created.body.product.id,
            name: "Copycat Notebook - S",
            sku: "SBX-0002-S",
            opt1: "S",
            retail_price: "5.0",
          },
        })
        expect(variant.status).toBe(201)
        const run = await startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null }).done
        const copy = run.planned.find((p: any) => p.tradegeckoProductId === created.body.product.id)!
        expect(copy.action).toBe("create")
        expect(copy.message).toContain(
          `SKU SBX-0002-S is shared by TradeGecko variants 200003 and ${variant.body.variant.id}`
        )
        // the existing product keeps its variant and SKU; the new one is a product of its own, without the SKU
        expect(await skuOf(200003)).toEqual(before)
        const newVariant = await skuOf(variant.body.variant.id)
        expect(newVariant.sku).toBeNull()
        const [newLink] = await tradegecko.listTradegeckoProductLinks({
          tradegecko_product_id: created.body.product.id,
        })
        const [oldLink] = await tradegecko.listTradegeckoProductLinks({ tradegecko_product_id: 100002 })
        expect(newLink.product_id).not.toBe(oldLink.product_id)
      })
    })

    describe("Catalog webhooks: registration", () => {
      it("re-registering a webhook deleted in TradeGecko really creates it again", async () => {
        const container = getContainer()
        const { headers } = await createAdminHeaders(container)
        const first = await api.post("/admin/tradegecko/webhooks", {}, { headers })
        expect(first.data.webhooks.every((w: any) => w.registered)).toBe(true)
        const stock = first.data.webhooks.find((w: any) => w.event === "variant.stock_level_update")
        expect((await tg.api("DELETE", `/webhooks/${stock.tradegecko_webhook_id}`)).status).toBe(204)

        const again = await api.post("/admin/tradegecko/webhooks", {}, { headers })
        const { body } = await tg.api("GET", "/webhooks")
        expect(body.webhooks.map((w: any) => w.event)).toContain("variant.stock_level_update")
        expect(body.webhooks.map((w: any) => w.event).sort()).toEqual(
          first.data.webhooks.map((w: any) => w.event).sort()
        )
        // what the admin reports is what TradeGecko holds
        const ids = new Set(body.webhooks.map((w: any) => w.id))
        expect(again.data.webhooks.every((w: any) => w.registered && ids.has(w.tradegecko_webhook_id))).toBe(true)
      })
    })
  },
})
