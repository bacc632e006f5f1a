import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import path from "node:path"
import { webhookSignature } from "../../sandbox"
import { reconcileTradegeckoOrdersWorkflow } from "../../src/workflows/orders/reconcile-tradegecko-orders"
import { runDueOrderWork } from "../../src/jobs/order-push-retry-schedule"
import { useShop } from "../helpers/checkout"
import { placeOrder, waitForLink, webhookDelivery } from "../helpers/orders"
import { useSandbox } from "../helpers/sandbox"
import { medusaVariantId, waitFor } from "../helpers/wait"

jest.setTimeout(240_000)

/**
 * TradeGecko → Medusa: shipped, paid, returned and void come back once, whatever
 * order or how often TradeGecko announces them, by webhook or by the reconciliation job.
 */
const SEED = { products: 10, variantsPerProduct: 2, seed: 1 }
const tg = useSandbox({ seed: SEED })

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    const shop = useShop({ api, getContainer }, tg, { seed: SEED })

    const medusaOrder = async (container: MedusaContainer, id: string, fields: string[]) =>
      (await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields, filters: { id } }))
        .data[0] as any
    const deliver = (event: string, objectId: number, deliveryId: string) => {
      const d = webhookDelivery(tg.sandbox.credentials.clientSecret, webhookSignature, event, objectId, deliveryId)
      return api.post("/hooks/tradegecko", d.body, { headers: d.headers })
    }
    const delivery = async (container: MedusaContainer, deliveryId: string) =>
      (await (container.resolve("tradegecko") as any).listTradegeckoWebhookDeliveries({ delivery_id: deliveryId }))[0]
    const handled = (container: MedusaContainer, deliveryId: string) =>
      waitFor(
        async () => ["processed", "ignored", "failed"].includes((await delivery(container, deliveryId))?.status),
        20_000,
        `delivery ${deliveryId} handled`
      )
    // (the log's `path` is normalised to /orders/:id/…; its `url` names the order)
    const actionPosts = async (tgOrderId: number) =>
      (await tg.control("GET", "/requests")).entries.filter(
        (e: any) => e.method === "POST" && e.url.split("?")[0].startsWith(`/orders/${tgOrderId}/actions/`)
      )

    /** A pushed order of two tees. */
    const pushedOrder = async (email: string) => {
      const container = getContainer()
      const tee = await medusaVariantId(container, 200001)
      const order = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 2 }], email)
      return { order, link: await waitForLink(container, order.id, "pushed") }
    }

    describe("Order status TradeGecko → Medusa: webhooks", () => {
      it("shipment webhooks delivered newest first and repeated: one shipped Medusa fulfillment with its tracking", async () => {
        const container = getContainer()
        const { order, link } = await pushedOrder("status@example.com")

        // shipped in TradeGecko (no webhook subscriptions yet: we deliver by hand, newest event first)
        await tg.control("POST", `/orders/${link.tradegecko_order_id}/ship`, {
          tracking_number: "1Z42",
          tracking_company: "UPS",
          tracking_url: "https://ups.test/1Z42",
        })
        const [f] = (await tg.api("GET", `/fulfillments?order_id=${link.tradegecko_order_id}`)).body.fulfillments
        expect((await deliver("fulfillment.fulfilled", f.id, "ooo-2")).status).toBe(200)
        await handled(container, "ooo-2")
        expect((await deliver("fulfillment.create", f.id, "ooo-1")).status).toBe(200)
        await handled(container, "ooo-1")
        const repeat = await deliver("fulfillment.fulfilled", f.id, "ooo-2")
        expect(repeat.data).toEqual({ received: true, duplicate: true })
        expect(await delivery(container, "ooo-2")).toMatchObject({ status: "processed" })
        expect(await delivery(container, "ooo-1")).toMatchObject({ status: "ignored", error: "already applied" })
        const shipped = await medusaOrder(container, order.id, [
          "fulfillments.id",
          "fulfillments.shipped_at",
          "fulfillments.labels.tracking_number",
          "fulfillments.items.quantity",
        ])
        expect(shipped.fulfillments).toHaveLength(1)
        expect(new Date(shipped.fulfillments[0].shipped_at).getTime()).toBeGreaterThan(0)
        expect(shipped.fulfillments[0].labels.map((l: any) => l.tracking_number)).toEqual(["1Z42"])
        expect(shipped.fulfillments[0].items.map((i: any) => Number(i.quantity))).toEqual([2])
      })

      it("paid in TradeGecko captures the Medusa payment, and no 'pay' action is sent back", async () => {
        const container = getContainer()
        const { order, link } = await pushedOrder("paid@example.com")
        const address = `${api.defaults.baseURL}/hooks/tradegecko`
        await tg.api("POST", "/webhooks", { webhook: { address, event: "payment.create" } })
        const payments = async () =>
          (await medusaOrder(container, order.id, ["payment_collections.payments.captured_at"])).payment_collections[0]
            .payments
        expect((await payments())[0].captured_at).toBeNull()
        await tg.control("POST", `/orders/${link.tradegecko_order_id}/pay`)
        await waitFor(async () => Boolean((await payments())[0]?.captured_at), 20_000, "Medusa payment captured")
        await new Promise((r) => setTimeout(r, 500)) // the capture's payment.captured subscriber has run
        expect(await actionPosts(link.tradegecko_order_id)).toEqual([])
      })

      it("a return received in TradeGecko becomes a received Medusa return of that quantity; the reconciliation then adds none", async () => {
        const container = getContainer()
        const { order, link } = await pushedOrder("return@example.com")
        const tgLineId = Number(Object.keys(link.line_map)[0])
        const address = `${api.defaults.baseURL}/hooks/tradegecko`
        await tg.api("POST", "/webhooks", { webhook: { address, event: "fulfillment_return.received" } })
        await tg.control("POST", `/orders/${link.tradegecko_order_id}/ship`, { tracking_number: "1Z43" })
        // one of the two tees comes back and is received in TradeGecko
        const created = await tg.api("POST", "/fulfillment_returns", {
          fulfillment_return: {
            order_id: link.tradegecko_order_id,
            status: "received",
            fulfillment_return_line_items: [{ order_line_item_id: tgLineId, quantity: "1" }],
          },
        })
        expect(created.status).toBe(201)
        const returns = async () =>
          (
            await medusaOrder(container, order.id, [
              "returns.id",
              "returns.status",
              "returns.items.quantity",
              "returns.items.received_quantity",
            ])
          ).returns ?? []
        const tradegecko: any = container.resolve("tradegecko")
        const returnDelivery = async () =>
          (await tradegecko.listTradegeckoWebhookDeliveries({ event: "fulfillment_return.received" }))[0]
        await waitFor(
          async () => ["processed", "ignored", "failed"].includes((await returnDelivery())?.status),
          20_000,
          "return delivery handled"
        )
        expect(await returnDelivery()).toMatchObject({ status: "processed", error: null })
        const [ret] = await returns()
        expect(ret.status).toBe("received")
        expect(ret.items.map((i: any) => [Number(i.quantity), Number(i.received_quantity)])).toEqual([[1, 1]])
        // announced again by the reconciliation: nothing new
        const run: any = (await reconcileTradegeckoOrdersWorkflow(container).run({ input: { trigger: "manual" } }))
          .result
        expect(run).toMatchObject({ kind: "order_status", status: "succeeded" })
        expect(run.counts).toMatchObject({ ours: 1, changed: 0, failed: 0 })
        expect(await returns()).toHaveLength(1)
      })

      it("a recorded delivery whose processing event was lost (worker crash) is processed by the retry job", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const tee = await medusaVariantId(container, 200002)
        const order = await placeOrder(
          shop,
          shop.regionId,
          [{ variant_id: tee, quantity: 1 }],
          "lost-event@example.com"
        )
        const link = await waitForLink(container, order.id, "pushed")
        await tg.control("POST", `/orders/${link.tradegecko_order_id}/ship`, { tracking_number: "LOST-1" })
        const [f] = (await tg.api("GET", `/fulfillments?order_id=${link.tradegecko_order_id}`)).body.fulfillments
        // what the route recorded before the process died: the row, but its event never ran
        const [row] = await tradegecko.createTradegeckoWebhookDeliveries([
          { delivery_id: "lost-1", event: "fulfillment.fulfilled", object_id: f.id, status: "received" },
        ])
        const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
        await pg.raw("update tradegecko_webhook_delivery set created_at = now() - interval '3 minutes' where id = ?", [
          row.id,
        ])

        // the retry job's work (the job itself runs it once per minute across instances: the
        // scheduler in this app may already have claimed this minute)
        await runDueOrderWork(container)
        expect(await delivery(container, "lost-1")).toMatchObject({ status: "processed" })
        const shipped = await medusaOrder(container, order.id, [
          "fulfillments.shipped_at",
          "fulfillments.labels.tracking_number",
        ])
        expect(shipped.fulfillments.map((x: any) => x.labels.map((l: any) => l.tracking_number))).toEqual([["LOST-1"]])
      })
    })

    describe("Order status TradeGecko → Medusa: reconciliation job (void)", () => {
      it("void in TradeGecko (no webhook exists for it) cancels an open Medusa order once; a shipped one is kept and says why; the next run changes nothing", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const tee = await medusaVariantId(container, 200002)
        const open = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 1 }], "void@example.com")
        const openLink = await waitForLink(container, open.id, "pushed")
        const shippedOrder = await placeOrder(
          shop,
          shop.regionId,
          [{ variant_id: tee, quantity: 1 }],
          "void-shipped@example.com"
        )
        const shippedLink = await waitForLink(container, shippedOrder.id, "pushed")
        // an order of another store on the same account, voided too
        const foreign = await tg.api("POST", "/orders", {
          order: {
            company: { name: "Other shop", company_type: "consumer" },
            issued_at: "2026-11-23",
            status: "active",
            shipping_address: { address1: "9 Elsewhere", label: "Ship" },
            order_line_items: [{ variant_id: 200002, quantity: "1", price: "100" }],
          },
        })
        await tg.clearRequests()

        await tg.control("POST", `/orders/${shippedLink.tradegecko_order_id}/ship`, { tracking_number: "SHIP-1" })
        for (const id of [openLink.tradegecko_order_id, shippedLink.tradegecko_order_id, foreign.body.order.id]) {
          expect((await tg.control("POST", `/orders/${id}/void`)).order?.status ?? "void").toBe("void")
        }
        const run: any = (await reconcileTradegeckoOrdersWorkflow(container).run({ input: { trigger: "manual" } }))
          .result
        expect(run).toMatchObject({ status: "succeeded" })
        expect(run.counts).toMatchObject({ ours: 2, changed: 2, failed: 0 })
        expect(run.counts.seen).toBeGreaterThanOrEqual(3)

        expect((await medusaOrder(container, open.id, ["status"])).status).toBe("canceled")
        const [openAfter] = await tradegecko.listTradegeckoOrderLinks({ order_id: open.id })
        expect(openAfter).toMatchObject({ tradegecko_status: "void" })
        expect(openAfter.applied.void_in_medusa).toBe("canceled")
        // shipped first (the fulfillment came back), then Medusa refused the cancel: kept, in words
        const shippedAfter = await medusaOrder(container, shippedOrder.id, ["status", "fulfillments.shipped_at"])
        expect(shippedAfter.status).not.toBe("canceled")
        expect(shippedAfter.fulfillments).toHaveLength(1)
        const [shippedLinkAfter] = await tradegecko.listTradegeckoOrderLinks({ order_id: shippedOrder.id })
        expect(shippedLinkAfter.applied.void_in_medusa).toMatch(/^not canceled: .+/)
        // Medusa's order.canceled did not echo a void back to TradeGecko
        await new Promise((r) => setTimeout(r, 500))
        expect(await actionPosts(openLink.tradegecko_order_id)).toEqual([])

        const again: any = (await reconcileTradegeckoOrdersWorkflow(container).run({ input: { trigger: "manual" } }))
          .result
        expect(again.counts).toMatchObject({ changed: 0, failed: 0 })
        // the second run starts from the first one's start (minus an overlap), not from a day ago
        expect(new Date(again.since).getTime()).toBeGreaterThan(new Date(run.started_at).getTime() - 120_000)
      })
    })
  },
})
