import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { cancelOrderWorkflow, capturePaymentWorkflow, createProductsWorkflow } from "@medusajs/medusa/core-flows"
import path from "node:path"
import { webhookSignature } from "../../sandbox"
import { pushOrderToTradegeckoWorkflow } from "../../src/workflows/orders/push-order-to-tradegecko"
import { createAdminHeaders } from "../helpers/admin"
import { useShop } from "../helpers/checkout"
import { useSandbox } from "../helpers/sandbox"
import { placeOrder as placeOrderAs, waitForLink } from "../helpers/orders"
import { medusaVariantId, waitFor } from "../helpers/wait"

jest.setTimeout(240_000)

const SEED = { products: 10, variantsPerProduct: 2, seed: 1 }
const tg = useSandbox({ seed: SEED })

const variantId = medusaVariantId

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    const shop = useShop({ api, getContainer }, tg, { seed: SEED })
    const placeOrder = (lines: Array<{ variant_id: string; quantity: number }>, email: string) =>
      placeOrderAs(shop, shop.regionId, lines, email)

    describe("Orders → TradeGecko: push", () => {
      it("pushes each placed order once: company by e-mail (created once, then reused), addresses, variant, freeform and shipping lines, totals", async () => {
        const container = getContainer()
        // an item TradeGecko does not know
        const {
          result: [local],
        } = await createProductsWorkflow(container).run({
          input: {
            products: [
              {
                title: "Gift wrap",
                status: "published",
                sales_channels: [{ id: shop.salesChannelId }],
                options: [{ title: "Default", values: ["One"] }],
                variants: [
                  {
                    title: "One",
                    sku: "WRAP-1",
                    manage_inventory: false,
                    options: { Default: "One" },
                    prices: [{ amount: 3.5, currency_code: "usd" }],
                  },
                ],
              },
            ],
          },
        })
        const tee = await variantId(container, 200001)
        const order = await placeOrder(
          [
            { variant_id: tee, quantity: 2 },
            { variant_id: local.variants[0].id, quantity: 1 },
          ],
          "sam@example.com"
        )
        const link = await waitForLink(container, order.id, "pushed")
        expect(link).toMatchObject({ attempts: 1, reference: `#${order.display_id}`, last_error: null })

        const { body } = await tg.api(
          "GET",
          `/orders/${link.tradegecko_order_id}?include=order_line_items,company,addresses`
        )
        const tgOrder = body.order
        expect(tgOrder).toMatchObject({
          reference_number: `#${order.display_id}`,
          email: "sam@example.com",
          status: "active",
          tax_treatment: "exclusive",
        })
        expect(body.companies[0]).toMatchObject({
          email: "sam@example.com",
          company_type: "consumer",
          name: "Sam Shopper",
        })
        expect(body.addresses.map((a: any) => a.address1)).toEqual(["1 Main St", "1 Main St"])
        // (Medusa does not order an order's items; compare as a set)
        const lines = body.order_line_items.map((l: any) => [l.variant_id, l.freeform, l.label, l.quantity, l.price])
        expect(lines).toHaveLength(3)
        expect(lines).toEqual(
          expect.arrayContaining([
            [200001, false, null, "2.0", "100.0"],
            [null, true, "Gift wrap / One (WRAP-1)", "1.0", "3.5"],
            [null, true, "Shipping: Standard", "1.0", "10.0"],
          ])
        )
        const {
          data: [medusaOrder],
        } = await container
          .resolve(ContainerRegistrationKeys.QUERY)
          .graph({ entity: "order", fields: ["total", "currency_code"], filters: { id: order.id } })
        expect(Number(tgOrder.total)).toBeCloseTo(Number((medusaOrder as any).total), 2)
        const { body: currencies } = await tg.api("GET", `/currencies/${tgOrder.currency_id}`)
        expect(currencies.currency.iso).toBe("USD")

        // the same customer again: the company is reused without asking TradeGecko
        await tg.clearRequests()
        const second = await placeOrder([{ variant_id: tee, quantity: 1 }], "sam@example.com")
        const secondLink = await waitForLink(container, second.id, "pushed")
        const counts = await tg.requestCounts()
        expect(counts["GET /companies"]).toBeUndefined()
        expect(counts["POST /orders"]).toBe(1)
        const { body: again } = await tg.api("GET", `/orders/${secondLink.tradegecko_order_id}`)
        expect(again.order.company_id).toBe(tgOrder.company_id)
        const { body: companies } = await tg.api("GET", "/companies?email=sam@example.com")
        expect(companies.companies).toHaveLength(1)
      })

      it("exactly once under faults: 500, 503 and 429 on the create, and a lost local write, leave one TradeGecko order", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const tee = await variantId(container, 200002)
        // a 2-second rate-limit window, so waiting out the injected 429 takes seconds
        await tg.control("POST", "/rate-limit", { limit: 300, windowSeconds: 2 })
        await tg.control("POST", "/faults", { mode: "500", path: "^/orders", methods: ["POST"], count: 1 })
        await tg.control("POST", "/faults", { mode: "503", path: "^/orders", methods: ["POST"], count: 1 })
        await tg.control("POST", "/faults", { mode: "429", path: "^/orders", methods: ["POST"], count: 1 })
        const order = await placeOrder([{ variant_id: tee, quantity: 1 }], "faults@example.com")
        const link = await waitForLink(container, order.id, "pushed")
        const ref = encodeURIComponent(`#${order.display_id}`)
        expect((await tg.api("GET", `/orders?reference_number=${ref}`)).body.orders).toHaveLength(1)

        // the process "crashed" after TradeGecko created the order, before the link was written
        await tradegecko.updateTradegeckoOrderLinks({
          id: link.id,
          status: "failed",
          tradegecko_order_id: null,
          tradegecko_order_number: null,
        })
        const { result: retried } = await pushOrderToTradegeckoWorkflow(container).run({ input: { orderId: order.id } })
        expect(retried).toMatchObject({ status: "pushed", tradegecko_order_id: link.tradegecko_order_id, attempts: 2 })
        expect((await tg.api("GET", `/orders?reference_number=${ref}`)).body.orders).toHaveLength(1)
        const posts = (await tg.control("GET", "/requests")).entries.filter(
          (e: any) => e.method === "POST" && e.path === "/orders"
        )
        // the retry after the lost write looked the order up instead of creating it again
        expect(posts.map((e: any) => e.status)).toEqual([500, 503, 429, 201])
        expect(
          (await tg.control("GET", "/requests")).entries.some(
            (e: any) => e.method === "GET" && e.path === "/orders" && e.url.includes("reference_number")
          )
        ).toBe(true)
        expect(new Set(posts.map((e: any) => e.idempotencyKey))).toEqual(new Set([`medusa-order-${order.id}`]))
        await tg.control("POST", "/rate-limit", { limit: 300, windowSeconds: 300 })
      })

      it("an order placed before the orderSyncFrom date is skipped, with the reason on its push record", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const tee = await variantId(container, 200002)
        try {
          await tradegecko.saveSettings({ orderSyncFrom: "2999-01-01" })
          await tg.clearRequests()
          const early = await placeOrder([{ variant_id: tee, quantity: 1 }], "early@example.com")
          const skipped = await waitForLink(container, early.id, "skipped")
          expect(skipped.last_error).toBe("placed before orderSyncFrom (2999-01-01)")
          expect((await tg.requestCounts())["POST /orders"]).toBeUndefined()
        } finally {
          await tradegecko.saveSettings({ orderSyncFrom: null, orderSyncLevel: null })
        }
      })

      it("sync level 'off' (stock only): a placed order gets no push record and TradeGecko no order", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const tee = await variantId(container, 200002)
        try {
          await tradegecko.saveSettings({ orderSyncFrom: null, orderSyncLevel: "off" })
          await tg.clearRequests()
          const stockOnly = await placeOrder([{ variant_id: tee, quantity: 1 }], "stock-only@example.com")
          await pushOrderToTradegeckoWorkflow(container).run({ input: { orderId: stockOnly.id } }) // what the subscriber does
          expect(await tradegecko.listTradegeckoOrderLinks({ order_id: stockOnly.id })).toEqual([])
          expect((await tg.requestCounts())["POST /orders"]).toBeUndefined()
        } finally {
          await tradegecko.saveSettings({ orderSyncFrom: null, orderSyncLevel: null })
        }
      })

      it("a shipment of an order another store created on the same TradeGecko account is ignored as not ours", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const address = `${api.defaults.baseURL}/hooks/tradegecko`
        await tg.api("POST", "/webhooks", { webhook: { address, event: "fulfillment.create" } })
        const foreign = await tg.api("POST", "/orders", {
          order: {
            company: { name: "Other shop customer", company_type: "consumer" },
            issued_at: "2026-11-23",
            status: "active",
            shipping_address: { address1: "9 Elsewhere", label: "Ship" },
            order_line_items: [{ variant_id: 200001, quantity: "1", price: "100" }],
          },
        })
        expect(foreign.status).toBe(201)
        await tg.control("POST", `/orders/${foreign.body.order.id}/ship`, { tracking_number: "X1" })
        await waitFor(
          async () =>
            (await tradegecko.listTradegeckoWebhookDeliveries({ event: "fulfillment.create" }))[0]?.status ===
            "ignored",
          20_000,
          "foreign delivery handled"
        )
        const [delivery] = await tradegecko.listTradegeckoWebhookDeliveries({ event: "fulfillment.create" })
        expect(delivery.error).toBe("not an order of this store")
        expect(await tradegecko.listTradegeckoOrderLinks({ tradegecko_order_id: foreign.body.order.id })).toEqual([])
      })

      it("a failed push is kept with its reason, listed in order health, and retried on demand", async () => {
        const container = getContainer()
        const { headers } = await createAdminHeaders(container)
        const tee = await variantId(container, 200002)
        await tg.control("POST", "/down")
        let order: any
        try {
          order = await placeOrder([{ variant_id: tee, quantity: 1 }], "down@example.com")
          const failed = await waitForLink(container, order.id, "failed", 60_000)
          expect(failed.last_error).toMatch(/TradeGecko/)
          expect(new Date(failed.next_attempt_at).getTime()).toBeGreaterThan(Date.now())
          const health = await api.get("/admin/tradegecko/orders?status=failed", { headers })
          expect(health.data.orders.map((o: any) => o.order_id)).toEqual([order.id])
          const bad = await api.get("/admin/tradegecko/orders?status=lost", { headers }).catch((e: any) => e.response)
          expect(bad.status).toBe(400)
        } finally {
          await tg.control("POST", "/up")
        }
        const retry = await api.post(`/admin/tradegecko/orders/${order.id}/retry`, {}, { headers })
        expect(retry.data.order).toMatchObject({ status: "pushed", last_error: null })
        expect(
          (await tg.api("GET", `/orders?reference_number=${encodeURIComponent(`#${order.display_id}`)}`)).body.orders
        ).toHaveLength(1)
        const unauth = await api.get("/admin/tradegecko/orders").catch((e: any) => e.response)
        expect(unauth.status).toBe(401)
      })
    })

    describe("Order status both ways: shipments, payments, cancels", () => {
      const fulfillmentsOf = async (orderId: string) =>
        (
          (
            await getContainer()
              .resolve(ContainerRegistrationKeys.QUERY)
              .graph({
                entity: "order",
                fields: [
                  "fulfillments.id",
                  "fulfillments.shipped_at",
                  "fulfillments.labels.tracking_number",
                  "fulfillments.labels.tracking_url",
                  "fulfillments.items.quantity",
                ],
                filters: { id: orderId },
              })
          ).data[0] as any
        ).fulfillments
      const tgOrderStatus = async (id: number) => (await tg.api("GET", `/orders/${id}`)).body.order
      /** A pushed order of two tees, TradeGecko announcing its fulfillments to the store. */
      const pushedOrderWithWebhooks = async (email: string) => {
        const container = getContainer()
        const tee = await variantId(container, 200001)
        const order = await placeOrder([{ variant_id: tee, quantity: 2 }], email)
        const link = await waitForLink(container, order.id, "pushed")
        const address = `${api.defaults.baseURL}/hooks/tradegecko`
        await tg.api("POST", "/webhooks", { webhook: { address, event: "fulfillment.create" } })
        await tg.api("POST", "/webhooks", { webhook: { address, event: "fulfillment.fulfilled" } })
        return { order, link }
      }
      /** TradeGecko ships one of the two tees; waits until Medusa has the shipment. */
      const shipOneTee = async (order: any, link: any) => {
        const tgLineId = Number(Object.keys(link.line_map)[0])
        await tg.control("POST", `/orders/${link.tradegecko_order_id}/ship`, {
          tracking_number: "1Z999",
          tracking_company: "UPS",
          tracking_url: "https://ups.test/1Z999",
          line_items: [{ order_line_item_id: tgLineId, quantity: 1 }],
        })
        await waitFor(async () => Boolean((await fulfillmentsOf(order.id))[0]?.shipped_at), 20_000, "shipment applied")
      }

      it("a partial shipment in TradeGecko becomes one shipped Medusa fulfillment of the shipped quantity, with its tracking", async () => {
        const { order, link } = await pushedOrderWithWebhooks("ship@example.com")
        await shipOneTee(order, link)
        const fulfillments = await fulfillmentsOf(order.id)
        expect(fulfillments).toHaveLength(1)
        const [f] = fulfillments
        expect(f.labels.map((l: any) => [l.tracking_number, l.tracking_url])).toEqual([
          ["1Z999", "https://ups.test/1Z999"],
        ])
        expect(f.items.map((i: any) => Number(i.quantity))).toEqual([1])
      })

      it("the same TradeGecko fulfillment announced again is acknowledged, recorded as already applied, and adds no fulfillment", async () => {
        const container = getContainer()
        const { order, link } = await pushedOrderWithWebhooks("ship-again@example.com")
        await shipOneTee(order, link)
        const tgFulfillmentId = (await tg.api("GET", `/fulfillments?order_id=${link.tradegecko_order_id}`)).body
          .fulfillments[0].id
        const body = JSON.stringify({
          object_id: tgFulfillmentId,
          event: "fulfillment.create",
          timestamp: 1,
          resource_url: "x",
        })
        const again = await api.post("/hooks/tradegecko", body, {
          headers: {
            "content-type": "application/json",
            "x-gecko-delivery": "repeat-1",
            "x-gecko-signature": webhookSignature(tg.sandbox.credentials.clientSecret, body),
          },
        })
        expect(again.status).toBe(200)
        const tradegecko: any = container.resolve("tradegecko")
        const repeated = async () => (await tradegecko.listTradegeckoWebhookDeliveries({ delivery_id: "repeat-1" }))[0]
        await waitFor(async () => (await repeated())?.status === "ignored", 20_000, "repeat delivery handled")
        expect(await repeated()).toMatchObject({ status: "ignored", error: "already applied" })
        expect(await fulfillmentsOf(order.id)).toHaveLength(1)
      })

      it("a payment captured in Medusa marks the TradeGecko order paid", async () => {
        const container = getContainer()
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        const tee = await variantId(container, 200001)
        const order = await placeOrder([{ variant_id: tee, quantity: 2 }], "pay@example.com")
        const link = await waitForLink(container, order.id, "pushed")
        expect((await tgOrderStatus(link.tradegecko_order_id)).payment_status).not.toBe("paid")
        const {
          data: [withPayments],
        } = await query.graph({
          entity: "order",
          fields: ["payment_collections.payments.id"],
          filters: { id: order.id },
        })
        await capturePaymentWorkflow(container).run({
          input: { payment_id: (withPayments as any).payment_collections[0].payments[0].id },
        })
        await waitFor(
          async () => (await tgOrderStatus(link.tradegecko_order_id)).payment_status === "paid",
          20_000,
          "TradeGecko order paid"
        )
      })

      it("an order canceled in Medusa is voided in TradeGecko", async () => {
        const container = getContainer()
        const tee = await variantId(container, 200001)
        const other = await placeOrder([{ variant_id: tee, quantity: 1 }], "cancel@example.com")
        const otherLink = await waitForLink(container, other.id, "pushed")
        expect((await tgOrderStatus(otherLink.tradegecko_order_id)).status).not.toBe("void")
        await cancelOrderWorkflow(container).run({ input: { order_id: other.id } })
        await waitFor(
          async () => (await tgOrderStatus(otherLink.tradegecko_order_id)).status === "void",
          20_000,
          "TradeGecko order void"
        )
      })
    })
  },
})
