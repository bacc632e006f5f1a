import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import path from "node:path"
import { startCatalogSync } from "../../src/lib/start-catalog-sync"
import { createAdminHeaders } from "../helpers/admin"
import { seedCheckout, storefront } from "../helpers/checkout"
import { placeOrder, waitForLink } from "../helpers/orders"
import { useSandbox } from "../helpers/sandbox"
import { seedStore } from "../helpers/store"
import { medusaVariantId } from "../helpers/wait"

jest.setTimeout(240_000)

const SEED = { products: 10, variantsPerProduct: 2, seed: 1 }
const tg = useSandbox({ seed: SEED })
// Seed layout (sandbox/seed.ts, seed 1): 100001 variants 200001 (SBX-0001-S, 45 available) and 200002;
// 100005 variant 200009 max_online 5; 100006 variant 200011 manage_stock false; 100007 variant 200013 reuses SBX-0001-S.

const SECRETS = ["sandbox-privileged-token", "sandbox-client-secret"]

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    let headers: Record<string, string>
    let shop: ReturnType<typeof storefront>
    let regionId: string
    const productOf = async (tgProductId: number) => {
      const [link] = await (getContainer().resolve("tradegecko") as any).listTradegeckoProductLinks({
        tradegecko_product_id: tgProductId,
      })
      return link.product_id as string
    }
    const call = (method: "get" | "post", url: string, body?: unknown, h: Record<string, string> | null = headers) =>
      (method === "get" ? api.get(url, { headers: h ?? {} }) : api.post(url, body, { headers: h ?? {} })).catch(
        (e: any) => e.response
      )

    beforeEach(async () => {
      const container = getContainer()
      await tg.control("POST", "/reset", { seed: SEED })
      const store = await seedStore(container)
      const checkout = await seedCheckout(container, store)
      regionId = checkout.region.id
      shop = storefront(api, checkout.publishableKey)
      await startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null }).done
      headers = (await createAdminHeaders(container)).headers
    })

    describe("Admin API: widgets and pages", () => {
      it("answers 401 without an admin session on every new route", async () => {
        const productId = await productOf(100001)
        const calls: Array<["get" | "post", string, unknown?]> = [
          ["get", `/admin/tradegecko/products/${productId}`],
          ["get", "/admin/tradegecko/orders/order_1"],
          ["post", "/admin/tradegecko/orders/retry", {}],
          ["get", "/admin/tradegecko/settings"],
          ["post", "/admin/tradegecko/settings", {}],
          ["post", "/admin/tradegecko/connect", { type: "oauth" }],
          ["post", "/admin/tradegecko/disconnect", {}],
        ]
        for (const [method, url, body] of calls) {
          const res = await call(method, url, body, null)
          expect([url, res.status]).toEqual([url, 401])
        }
      })

      it("product widget: link, last sync, stock per location and the rule that applies", async () => {
        const capped = await call("get", `/admin/tradegecko/products/${await productOf(100005)}`)
        expect(capped.status).toBe(200)
        const p = capped.data.product
        expect(p).toMatchObject({
          linked: true,
          tradegecko_product_id: 100005,
          archived: false,
          tradegecko_error: null,
          warnings: [],
        })
        expect(new Date(p.last_synced_at).getTime()).toBeGreaterThan(Date.now() - 120_000)
        const v = p.variants.find((x: any) => x.tradegecko_variant_id === 200009)
        expect(v.rule).toEqual({ kind: "max_online", text: "Online stock capped at 5 (max_online)" })
        expect(v.online_stock).toBe(5)
        expect(v.locations).toEqual([expect.objectContaining({ location_name: "Main warehouse", stocked_quantity: 5 })])

        const unmanaged = (await call("get", `/admin/tradegecko/products/${await productOf(100006)}`)).data.product
        expect(unmanaged.variants.find((x: any) => x.tradegecko_variant_id === 200011).rule.kind).toBe("not_managed")

        const dup = (await call("get", `/admin/tradegecko/products/${await productOf(100007)}`)).data.product
        expect(dup.warnings).toEqual([expect.stringMatching(/^SKU SBX-0001-S is shared by TradeGecko variants/)])

        const notLinked = await call("get", "/admin/tradegecko/products/prod_not_from_tradegecko")
        expect(notLinked.data.product).toEqual({ product_id: "prod_not_from_tradegecko", linked: false })
      })

      it("product widget: Force sync after a stock change in TradeGecko answers the change and the widget shows it", async () => {
        const productId = await productOf(100001)
        // 45 available = 39 at the primary location + 6 at the second; the primary becomes 12
        await tg.control("POST", "/variants/200001/stock", { stock_on_hand: 12 })
        const forced = await call("post", `/admin/tradegecko/products/${productId}/sync`, {})
        expect(forced.status).toBe(200)
        expect(forced.data.stock_changes).toEqual([
          expect.objectContaining({ tradegecko_variant_id: 200001, from: 45, to: 18 }),
        ])
        const after = (await call("get", `/admin/tradegecko/products/${productId}`)).data.product
        expect(after.variants.find((x: any) => x.tradegecko_variant_id === 200001).online_stock).toBe(18)
        // the one-product run cannot see the other product sharing SBX-0001-S: the warning stays anyway
        expect(after.warnings).toEqual([expect.stringMatching(/^SKU SBX-0001-S /)])
      })

      it("Force sync answers what changed in words: title, price from → to, stock from → to", async () => {
        // 100002: variants 200003 (SBX-0002-S) and 200004 (SBX-0002-M), SKUs not shared
        const productId = await productOf(100002)
        const before = (await call("get", `/admin/products/${productId}?fields=variants.sku,variants.prices.amount`))
          .data.product
        const oldPrice = before.variants.find((v: any) => v.sku === "SBX-0002-M").prices[0].amount
        const widget = (await call("get", `/admin/tradegecko/products/${productId}`)).data.product
        const oldStock = widget.variants.find((v: any) => v.tradegecko_variant_id === 200003).online_stock
        await tg.control("POST", "/products/100002", { name: "Renamed in TradeGecko" })
        await tg.control("POST", "/variants/200004", { retail_price: "55.0" })
        await tg.control("POST", "/variants/200003/stock", { stock_on_hand: 2 })
        const forced = await call("post", `/admin/tradegecko/products/${productId}/sync`, {})
        expect(forced.status).toBe(200)
        expect(forced.data.outcome).toBe("updated")
        expect(forced.data.change_words).toEqual([
          "title",
          `price M ${oldPrice} → 55`,
          expect.stringMatching(new RegExp(`^stock S ${oldStock} → \\d+$`)),
        ])
        const to = Number(/→ (\d+)$/.exec(forced.data.change_words[2])![1])
        expect(to).not.toBe(oldStock)
        const after = (await call("get", `/admin/tradegecko/products/${productId}`)).data.product
        expect(after.variants.find((v: any) => v.tradegecko_variant_id === 200003).online_stock).toBe(to)
        expect((await call("get", `/admin/products/${productId}?fields=title`)).data.product.title).toBe(
          "Renamed in TradeGecko"
        )

        const nothing = await call("post", `/admin/tradegecko/products/${productId}/sync`, {})
        expect(nothing.data.change_words).toEqual([])
      })

      it("sync run records: what changed in words, stock from → to by SKU and location; the list names every kind recorded", async () => {
        // 40 available = 3 + 37 → 3 at the primary location + 15 at the second = 18
        await tg.control("POST", "/variants/200002/stock", { stock_on_hand: 3 })
        const { run_id } = await startCatalogSync(getContainer(), { trigger: "manual", dryRun: false, scope: null })
          .done
        await call("post", `/admin/tradegecko/products/${await productOf(100005)}/sync`, {})

        const res = await call("get", `/admin/tradegecko/sync-runs/${run_id}`)
        expect(res.status).toBe(200)
        const item = res.data.sync_run.items.find((i: any) => i.tradegecko_id === 100001)
        expect(item).toMatchObject({ outcome: "updated", change_text: null })
        expect(item.stock_changes).toEqual([
          expect.objectContaining({
            tradegecko_variant_id: 200002,
            variant: "SBX-0001-M",
            location: "Main warehouse",
            from: 40,
            to: 18,
          }),
        ])
        // the other records are there too, each with words or nothing, never a raw object
        for (const i of res.data.sync_run.items)
          expect(i.change_text === null || typeof i.change_text === "string").toBe(true)
        const updatedOnly = await call("get", `/admin/tradegecko/sync-runs/${run_id}?outcome=updated`)
        expect(updatedOnly.data.sync_run.items.map((i: any) => i.tradegecko_id)).toEqual([100001])

        const list = await call("get", "/admin/tradegecko/sync-runs")
        expect(list.data.kinds).toEqual([
          { kind: "catalog", count: 2 },
          { kind: "product", count: 1 },
        ])
      })

      it("settings form: each field says where its value comes from; null returns to the option", async () => {
        const res = await call("get", "/admin/tradegecko/settings")
        const field = (answer: any, key: string) => answer.settings.fields.find((f: any) => f.key === key)
        expect(field(res.data, "checkoutFreshnessSeconds")).toMatchObject({
          label: "Stock freshness at checkout",
          value: 300,
          source: "default",
          override: null,
          input: "number",
        })
        expect(field(res.data, "autoFinalizeOrders")).toMatchObject({
          value: false,
          source: "default",
          input: "boolean",
        })
        expect(res.data.settings.choices.stock_locations).toEqual([expect.objectContaining({ name: "Main warehouse" })])
        expect(res.data.settings.choices.tradegecko_locations.length).toBeGreaterThan(0)
        expect(res.data.settings.options_list.find((o: any) => o.key === "syncFromTag")).toMatchObject({
          label: "Only products tagged",
          source: "unset",
          explained: "every product",
        })

        const location = res.data.settings.choices.stock_locations[0].id
        const tgLocation = res.data.settings.choices.tradegecko_locations[0].id
        const saved = await call("post", "/admin/tradegecko/settings", {
          autoFinalizeOrders: true,
          autoFinalizePriceThreshold: 0.9,
          locationMap: { [tgLocation]: location },
          orderSyncLevel: "push",
        })
        expect(saved.status).toBe(200)
        expect(field(saved.data, "autoFinalizeOrders")).toMatchObject({
          value: true,
          source: "override",
          option_value: false,
        })
        expect(field(saved.data, "autoFinalizePriceThreshold")).toMatchObject({
          value: 0.9,
          source: "override",
          option_value: 0.97,
        })
        expect(field(saved.data, "locationMap")).toMatchObject({
          value: { [tgLocation]: location },
          source: "override",
        })
        expect(saved.data.settings.options).toMatchObject({ autoFinalizeOrders: true, orderSyncLevel: "push" })
        const settings = await (getContainer().resolve("tradegecko") as any).getSettings()
        expect(settings).toMatchObject({
          autoFinalizeOrders: true,
          autoFinalizePriceThreshold: 0.9,
          orderSyncLevel: "push",
        })

        const back = await call("post", "/admin/tradegecko/settings", {
          autoFinalizeOrders: null,
          orderSyncLevel: null,
        })
        expect(field(back.data, "autoFinalizeOrders")).toMatchObject({
          value: false,
          source: "default",
          override: null,
        })
        expect(field(back.data, "orderSyncLevel")).toMatchObject({ value: "push_and_status", source: "default" })
        expect(field(back.data, "autoFinalizePriceThreshold").source).toBe("override")
        // back to the options: the module caches settings briefly, and the next test's database
        // (restored from the template) has no such stock location
        const cleared = await call("post", "/admin/tradegecko/settings", {
          autoFinalizePriceThreshold: null,
          locationMap: null,
        })
        expect(field(cleared.data, "locationMap")).toMatchObject({ source: "default", override: null })
      })

      it.each([
        [{ checkoutFreshnessSeconds: 60, orderSyncLevel: "sometimes" }, /orderSyncLevel/],
        [{ syncFromTag: "online", checkoutFreshnessSeconds: 1.5 }, /checkoutFreshnessSeconds/],
        [{ syncFromTag: "online", autoFinalizePriceThreshold: 1.5 }, /autoFinalizePriceThreshold/],
        [{ syncFromTag: "online", autoFinalizeOrders: "yes" }, /autoFinalizeOrders/],
        [{ syncFromTag: "online", orderSyncFrom: "last tuesday" }, /orderSyncFrom/],
        [{ syncFromTag: "online", checkoutWhenUnreachable: "maybe" }, /checkoutWhenUnreachable/],
        [{ syncFromTag: "online", locationMap: { "1": "" } }, /locationMap/],
        [
          { syncFromTag: "online", defaultStockLocationId: "sloc_does_not_exist" },
          /defaultStockLocationId: no Medusa stock location sloc_does_not_exist/,
        ],
        [
          { syncFromTag: "online", locationMap: { "1": "sloc_does_not_exist" } },
          /locationMap\.1: no Medusa stock location/,
        ],
        [{ syncFromTag: "online", webhookBaseUrl: "https://x.example" }, /webhookBaseUrl/],
      ])("settings form: %j is a 400 naming the field, and nothing is saved", async (body, field) => {
        const bad = await call("post", "/admin/tradegecko/settings", body)
        expect(bad.status).toBe(400)
        expect(bad.data.message).toMatch(field)
        const overrides = await (getContainer().resolve("tradegecko") as any).getSettingOverrides()
        expect(overrides).toEqual({})
        const settings = await (getContainer().resolve("tradegecko") as any).getSettings()
        expect(settings).toMatchObject({ checkoutFreshnessSeconds: 300, orderSyncLevel: "push_and_status" })
        expect(settings.syncFromTag).toBeUndefined()
      })

      it("order widget and order health: a failed push with its reason, then retry all pushes it", async () => {
        const container = getContainer()
        await tg.control("POST", "/faults", { mode: "500", path: "^/orders$", methods: ["POST"] })
        const order = await placeOrder(
          shop,
          regionId,
          [{ variant_id: await medusaVariantId(container, 200002), quantity: 1 }],
          "health@example.com"
        )
        await waitForLink(container, order.id, "failed", 60_000)

        const widget = await call("get", `/admin/tradegecko/orders/${order.id}`)
        expect(widget.status).toBe(200)
        expect(widget.data.order).toMatchObject({
          order_id: order.id,
          status: "failed",
          attempts: 1,
          reference: `#${order.display_id}`,
        })
        expect(widget.data.order.last_error).toMatch(/TradeGecko/)
        expect(widget.data.order).not.toHaveProperty("idempotency_key")

        const stillBroken = await call("post", "/admin/tradegecko/orders/retry", {})
        expect(stillBroken.data).toMatchObject({ retried: 1, pushed: 0, failed: 1 })

        await tg.control("DELETE", "/faults")
        const retried = await call("post", "/admin/tradegecko/orders/retry", {})
        expect(retried.data).toMatchObject({
          retried: 1,
          pushed: 1,
          failed: 0,
          results: [{ order_id: order.id, status: "pushed", last_error: null }],
        })
        const after = (await call("get", `/admin/tradegecko/orders/${order.id}`)).data.order
        expect(after.tradegecko_order_number).toEqual(expect.any(String))
        expect((await call("get", "/admin/tradegecko/orders/order_unknown")).data.order).toBeNull()
      })

      it("retry all refuses bad input with a clear 400", async () => {
        const bad = await call("post", "/admin/tradegecko/orders/retry", { limit: 0 })
        expect(bad.status).toBe(400)
        expect(bad.data.message).toMatch(/limit/)
        const unknown = await call("post", "/admin/tradegecko/orders/retry", { everything: true })
        expect(unknown.status).toBe(400)
      })

      it("settings: connection with the account name, options in force with secrets masked, never a secret", async () => {
        const res = await call("get", "/admin/tradegecko/settings")
        expect(res.status).toBe(200)
        expect(res.data.settings.connection).toMatchObject({
          connected: true,
          credential_type: "privileged_token",
          source: "options",
          oauth_available: true,
          account: { id: 1, name: "Sandbox Trading Co." },
          account_error: null,
        })
        expect(res.data.settings.options).toMatchObject({
          privilegedToken: "•••••• (set)",
          clientSecret: "•••••• (set)",
          clientId: "sandbox-client-id",
        })
        expect(res.data.settings.options).not.toHaveProperty("database")
        const text = JSON.stringify(res.data)
        for (const secret of SECRETS) expect(text).not.toContain(secret)
      })

      it("settings: saves an override, null returns to the option, and bad input is a 400 naming the field", async () => {
        const saved = await call("post", "/admin/tradegecko/settings", {
          syncFromTag: "online",
          checkoutFreshnessSeconds: 60,
        })
        expect(saved.status).toBe(200)
        expect(saved.data.settings.options).toMatchObject({ syncFromTag: "online", checkoutFreshnessSeconds: 60 })
        const cleared = await call("post", "/admin/tradegecko/settings", { syncFromTag: null })
        expect(cleared.data.settings.options.syncFromTag).toBeUndefined()

        const bad = await call("post", "/admin/tradegecko/settings", { checkoutFreshnessSeconds: -1 })
        expect(bad.status).toBe(400)
        expect(bad.data.message).toMatch(/checkoutFreshnessSeconds/)
        const secret = await call("post", "/admin/tradegecko/settings", { privilegedToken: "x" })
        expect(secret.status).toBe(400)
        expect(secret.data.message).toMatch(/privilegedToken/)
      })

      it("connect: a privileged token TradeGecko refuses is a 400 in words, and the body type is validated", async () => {
        const refused = await call("post", "/admin/tradegecko/connect", {
          type: "privileged_token",
          token: "not-a-token",
        })
        expect(refused.status).toBe(400)
        expect(refused.data.message).toBe("TradeGecko refused this token")
        const empty = await call("post", "/admin/tradegecko/connect", { type: "privileged_token", token: " " })
        expect(empty.status).toBe(400)
        expect(empty.data.message).toMatch(/'token' too small/)
        const unknown = await call("post", "/admin/tradegecko/connect", { type: "password" })
        expect(unknown.status).toBe(400)
      })
    })
  },
})
