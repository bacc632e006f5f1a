// First import: raises LOG_LEVEL and taps stdout/stderr/console before Medusa's logger loads.
import { capturedLogs, findSecrets, stopLogCapture } from "../helpers/log-capture"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import {
  beginReturnOrderWorkflow,
  createOrderFulfillmentWorkflow,
  requestItemReturnWorkflow,
} from "@medusajs/medusa/core-flows"
import path from "node:path"
import { webhookSignature } from "../../sandbox"
import { reconcileTradegeckoOrdersWorkflow } from "../../src/workflows/orders/reconcile-tradegecko-orders"
import { runDueOrderWork } from "../../src/jobs/order-push-retry-schedule"
import { createAdminHeaders } from "../helpers/admin"
import { useAppEnv } from "../helpers/env"
import { useShop } from "../helpers/checkout"
import { placeOrder, waitForLink, webhookDelivery } from "../helpers/orders"
import { useSandbox } from "../helpers/sandbox"
import { medusaVariantId, waitFor } from "../helpers/wait"

jest.setTimeout(300_000)
afterAll(() => stopLogCapture())
// the tests run the reconciliation themselves, step by step
useAppEnv({ TRADEGECKO_ORDER_RECONCILE_SCHEDULE: "off" })

/**
 * Order status both ways, when things go wrong: TradeGecko down while the admin captures
 * or cancels, webhook deliveries and reconciled orders that fail, changes left half-way,
 * a paid order voided in TradeGecko, and what the server log says about all of it.
 */
const SEED = { products: 10, variantsPerProduct: 2, seed: 1 }
const tg = useSandbox({ seed: SEED })

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    const shop = useShop({ api, getContainer }, tg, { seed: SEED })
    beforeEach(async () => {
      await tg.control("DELETE", "/faults")
    })

    const medusaOrder = async (container: MedusaContainer, id: string, fields: string[]) =>
      (await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "order", fields, filters: { id } }))
        .data[0] as any
    /** The order's one payment: amount, captures and refunds, in numbers. */
    const money = async (container: MedusaContainer, orderId: string) => {
      const o = await medusaOrder(container, orderId, [
        "total",
        "status",
        "payment_collections.payments.id",
        "payment_collections.payments.amount",
        "payment_collections.payments.captures.amount",
        "payment_collections.payments.refunds.amount",
      ])
      const p = o.payment_collections[0].payments[0]
      const sum = (xs: any[]) => Math.round((xs ?? []).reduce((a, x) => a + Number(x.amount), 0) * 100) / 100
      return {
        status: o.status,
        total: Number(o.total),
        paymentId: p.id,
        amount: Number(p.amount),
        captured: sum(p.captures),
        captures: (p.captures ?? []).length,
        refunded: sum(p.refunds),
      }
    }
    const deliver = (event: string, objectId: number, deliveryId: string) => {
      const d = webhookDelivery(tg.sandbox.credentials.clientSecret, webhookSignature, event, objectId, deliveryId)
      return api.post("/hooks/tradegecko", d.body, { headers: d.headers })
    }
    const delivery = async (container: MedusaContainer, deliveryId: string) =>
      (await (container.resolve("tradegecko") as any).listTradegeckoWebhookDeliveries({ delivery_id: deliveryId }))[0]
    /** Successful action calls the sandbox answered (pay, void); the log's `path` is normalised (/orders/:id/…), its `url` is not. */
    const actionPosts = async (tgOrderId: number) =>
      (await tg.control("GET", "/requests")).entries
        .filter(
          (e: any) =>
            e.method === "POST" &&
            e.url.split("?")[0].startsWith(`/orders/${tgOrderId}/actions/`) &&
            e.status >= 200 &&
            e.status < 300
        )
        .map((e: any) => ({ ...e, path: e.url.split("?")[0] }))
    const statusChanges = async (headers: Record<string, string>, query = "") =>
      (await api.get(`/admin/tradegecko/orders/status-changes${query}`, { headers })).data.status_changes as any[]
    /** What the retry job would do once the backoff has passed ("Retry all" does the same). */
    const retryEverythingNow = async (container: MedusaContainer) => {
      const pg = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
      await pg.raw(
        "update tradegecko_order_status_change set next_attempt_at = now() where status in ('pending', 'failed')"
      )
      await pg.raw("update tradegecko_webhook_delivery set next_attempt_at = now() where status = 'failed'")
      await pg.raw("update tradegecko_order_link set next_attempt_at = now() where status = 'failed'")
      await runDueOrderWork(container)
    }
    const logLines = (re: RegExp) => capturedLogs.filter((l) => re.test(l))

    describe("Order status Medusa → TradeGecko: capture and cancel while TradeGecko is down", () => {
      it("a capture and a cancel made in the admin while TradeGecko is down reach it once it is back, once each; order health and the log show them meanwhile", async () => {
        const container = getContainer()
        const { headers } = await createAdminHeaders(container)
        const tee = await medusaVariantId(container, 200001)
        const paid = await placeOrder(
          shop,
          shop.regionId,
          [{ variant_id: tee, quantity: 1 }],
          "capture-down@example.com"
        )
        const canceled = await placeOrder(
          shop,
          shop.regionId,
          [{ variant_id: tee, quantity: 1 }],
          "cancel-down@example.com"
        )
        const paidLink = await waitForLink(container, paid.id, "pushed")
        const canceledLink = await waitForLink(container, canceled.id, "pushed")
        await tg.clearRequests()

        await tg.control("POST", "/down")
        try {
          const before = await money(container, paid.id)
          const cap = await api.post(`/admin/payments/${before.paymentId}/capture`, {}, { headers })
          expect(cap.status).toBe(200)
          const can = await api.post(`/admin/orders/${canceled.id}/cancel`, {}, { headers })
          expect(can.status).toBe(200)
          // Medusa has both, whatever TradeGecko does
          const after = await money(container, paid.id)
          expect(after.captured).toBe(after.amount)
          expect(after.amount).toBeCloseTo(after.total, 2)
          expect((await money(container, canceled.id)).status).toBe("canceled")

          // both are kept, failed, with the reason and the next attempt
          await waitFor(
            async () => (await statusChanges(headers)).filter((c) => c.status === "failed").length === 2,
            90_000,
            "both changes failed"
          )
          const open = await statusChanges(headers)
          expect(open.map((c) => [c.order_id, c.action, c.direction, c.status]).sort()).toEqual(
            [
              [paid.id, "pay", "to_tradegecko", "failed"],
              [canceled.id, "void", "to_tradegecko", "failed"],
            ].sort()
          )
          for (const c of open) {
            expect(c.last_error).toMatch(/TradeGecko/)
            expect(c.attempts).toBeGreaterThanOrEqual(1)
            expect(new Date(c.next_attempt_at).getTime()).toBeGreaterThan(Date.now())
            expect(c.reference).toMatch(/^#\d+$/)
          }
          // the server log says so, once per failed attempt, with the order and the reason
          const payFailures = logLines(
            new RegExp(`TradeGecko pay of order #${paid.display_id} \\(${paid.id}\\) failed`)
          )
          expect(payFailures.length).toBe(open.find((c) => c.action === "pay").attempts)
          expect(payFailures[0]).toMatch(/warn/i)
        } finally {
          await tg.control("POST", "/up")
        }
        expect(await actionPosts(paidLink.tradegecko_order_id)).toEqual([])

        await retryEverythingNow(container)
        const tgOrder = async (id: number) => (await tg.api("GET", `/orders/${id}`)).body.order
        expect((await tgOrder(paidLink.tradegecko_order_id)).payment_status).toBe("paid")
        expect((await tgOrder(canceledLink.tradegecko_order_id)).status).toBe("void")
        expect(await statusChanges(headers)).toEqual([])
        const all = await statusChanges(headers, "?status=sent")
        expect(all.map((c) => [c.order_id, c.action]).sort()).toEqual(
          [
            [paid.id, "pay"],
            [canceled.id, "void"],
          ].sort()
        )
        expect(
          logLines(new RegExp(`TradeGecko pay of order #${paid.display_id} \\(${paid.id}\\) sent after`))
        ).toHaveLength(1)
        expect(
          logLines(new RegExp(`TradeGecko void of order #${canceled.display_id} \\(${canceled.id}\\) sent after`))
        ).toHaveLength(1)

        // once each: running again sends nothing more
        await retryEverythingNow(container)
        expect((await actionPosts(paidLink.tradegecko_order_id)).map((e: any) => e.path)).toEqual([
          `/orders/${paidLink.tradegecko_order_id}/actions/pay`,
        ])
        expect((await actionPosts(canceledLink.tradegecko_order_id)).map((e: any) => e.path)).toEqual([
          `/orders/${canceledLink.tradegecko_order_id}/actions/void`,
        ])
        // and the money in Medusa did not move: captured once, nothing refunded
        const finalPaid = await money(container, paid.id)
        expect([finalPaid.captured, finalPaid.captures, finalPaid.refunded]).toEqual([finalPaid.amount, 1, 0])
      })
    })

    describe("Order status: retrying failed deliveries and reconciled orders", () => {
      it("failed webhook deliveries and reconciled orders are retried until they succeed or are dismissed; the cursor does not pass a failed order", async () => {
        const container = getContainer()
        const { headers } = await createAdminHeaders(container)
        const tee = await medusaVariantId(container, 200002)
        const order = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 1 }], "retry-in@example.com")
        const link = await waitForLink(container, order.id, "pushed")
        await tg.control("POST", `/orders/${link.tradegecko_order_id}/ship`, { tracking_number: "RETRY-1" })
        const [f] = (await tg.api("GET", `/fulfillments?order_id=${link.tradegecko_order_id}`)).body.fulfillments
        // TradeGecko's fulfillments cannot be read for a while
        await tg.control("POST", "/faults", { mode: "500", path: "^/fulfillments/", methods: ["GET"] })

        expect((await deliver("fulfillment.fulfilled", f.id, "in-1")).status).toBe(200)
        expect((await deliver("fulfillment.create", f.id, "in-2")).status).toBe(200)
        await waitFor(
          async () =>
            (await delivery(container, "in-1"))?.status === "failed" &&
            (await delivery(container, "in-2"))?.status === "failed",
          60_000,
          "deliveries failed"
        )
        const failed = await delivery(container, "in-1")
        expect(failed.attempts).toBe(1)
        expect(new Date(failed.next_attempt_at).getTime()).toBeGreaterThan(Date.now())

        const run1: any = (await reconcileTradegeckoOrdersWorkflow(container).run({ input: { trigger: "manual" } }))
          .result
        expect(run1).toMatchObject({ status: "partial" })
        expect(run1.counts).toMatchObject({ ours: 1, failed: 1 })
        const run2: any = (await reconcileTradegeckoOrdersWorkflow(container).run({ input: { trigger: "manual" } }))
          .result
        // the cursor stays before the order that failed
        expect(new Date(run2.since).getTime()).toBeLessThanOrEqual(new Date(run1.since).getTime())
        expect(run2.counts).toMatchObject({ ours: 1, failed: 1 })

        // order health lists the two deliveries and the reconciled order, once each
        const open = await statusChanges(headers)
        expect(open.map((c) => [c.direction, c.event, c.order_id ?? null, c.status]).sort()).toEqual(
          [
            ["from_tradegecko", "fulfillment.create", null, "failed"],
            ["from_tradegecko", "fulfillment.fulfilled", null, "failed"],
            ["from_tradegecko", "order.reconcile", order.id, "failed"],
          ].sort()
        )
        // a person dismisses one delivery (over the admin API); bad ids are a clear 404
        const second = open.find((c) => c.event === "fulfillment.create")
        const dismissed = await api.post(
          `/admin/tradegecko/orders/status-changes/${second.id}/dismiss`,
          {},
          { headers }
        )
        expect(dismissed.data.status_change).toMatchObject({ id: second.id, status: "dismissed" })
        const missing = await api
          .post(`/admin/tradegecko/orders/status-changes/tgwh_nope/dismiss`, {}, { headers })
          .catch((e: any) => e.response)
        expect(missing.status).toBe(404)

        // TradeGecko answers again: the retry job applies them, the dismissed one stays dismissed
        await tg.control("DELETE", "/faults")
        await retryEverythingNow(container)
        // (whichever of the delivery and the reconciled order ran first applied the shipment; the other found it applied)
        const retried = await delivery(container, "in-1")
        expect([retried.status, retried.attempts, retried.next_attempt_at]).toEqual([
          expect.stringMatching(/^(processed|ignored)$/),
          2,
          null,
        ])
        expect(await delivery(container, "in-2")).toMatchObject({ status: "dismissed" })
        const shipped = await medusaOrder(container, order.id, [
          "fulfillments.shipped_at",
          "fulfillments.labels.tracking_number",
        ])
        expect(
          shipped.fulfillments.map((x: any) => [Boolean(x.shipped_at), x.labels.map((l: any) => l.tracking_number)])
        ).toEqual([[true, ["RETRY-1"]]])
        expect(await statusChanges(headers)).toEqual([])

        // nothing failed any more: the cursor moves on
        const run3: any = (await reconcileTradegeckoOrdersWorkflow(container).run({ input: { trigger: "manual" } }))
          .result
        expect(run3).toMatchObject({ status: "succeeded" })
        expect(new Date(run3.since).getTime()).toBeGreaterThan(new Date(run1.since).getTime())
      })
    })

    describe("Order status TradeGecko → Medusa: void", () => {
      it("a paid order voided in TradeGecko is not canceled (nothing refunded) but flagged for a person; an unpaid one is canceled", async () => {
        const container = getContainer()
        const { headers } = await createAdminHeaders(container)
        const tee = await medusaVariantId(container, 200001)
        const paid = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 1 }], "void-paid@example.com")
        const unpaid = await placeOrder(
          shop,
          shop.regionId,
          [{ variant_id: tee, quantity: 1 }],
          "void-unpaid@example.com"
        )
        const paidLink = await waitForLink(container, paid.id, "pushed")
        const unpaidLink = await waitForLink(container, unpaid.id, "pushed")
        const m = await money(container, paid.id)
        expect((await api.post(`/admin/payments/${m.paymentId}/capture`, {}, { headers })).status).toBe(200)
        await waitFor(
          async () =>
            (await tg.api("GET", `/orders/${paidLink.tradegecko_order_id}`)).body.order.payment_status === "paid",
          20_000,
          "paid in TradeGecko"
        )

        for (const id of [paidLink.tradegecko_order_id, unpaidLink.tradegecko_order_id])
          await tg.control("POST", `/orders/${id}/void`)
        const run: any = (await reconcileTradegeckoOrdersWorkflow(container).run({ input: { trigger: "manual" } }))
          .result
        expect(run.counts).toMatchObject({ ours: 2, failed: 0 })

        const after = await money(container, paid.id)
        expect(after.status).not.toBe("canceled")
        expect([after.captured, after.refunded]).toEqual([after.amount, 0])
        expect((await money(container, unpaid.id)).status).toBe("canceled")
        const flagged = await statusChanges(headers)
        expect(flagged.map((c) => [c.order_id, c.direction, c.action, c.status])).toEqual([
          [paid.id, "from_tradegecko", "void", "attention"],
        ])
        expect(flagged[0].last_error).toMatch(/paid/)
        expect(flagged[0].last_error).toMatch(new RegExp(after.captured.toFixed(2)))

        // announced again: not flagged twice; a person dismisses it
        await reconcileTradegeckoOrdersWorkflow(container).run({ input: { trigger: "manual" } })
        expect(await statusChanges(headers)).toHaveLength(1)
        await api.post(`/admin/tradegecko/orders/status-changes/${flagged[0].id}/dismiss`, {}, { headers })
        expect(await statusChanges(headers)).toEqual([])
        expect((await money(container, paid.id)).refunded).toBe(0)
      })
    })

    describe("Order status TradeGecko → Medusa: finishing changes left half-way", () => {
      it("a fulfillment whose shipment never ran, a return left half-way and a partial capture answered by TradeGecko's 'paid' are finished, and the void after them still applies", async () => {
        const container = getContainer()
        const { headers } = await createAdminHeaders(container)
        const tee = await medusaVariantId(container, 200001)
        const order = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 1 }], "half-way@example.com")
        const link = await waitForLink(container, order.id, "pushed")
        const [itemId] = Object.values(link.line_map as Record<string, string>)
        const tgLineId = Number(Object.keys(link.line_map)[0])
        await tg.clearRequests()

        // the admin captures part of the payment: not "paid in full", so nothing goes to TradeGecko
        const m = await money(container, order.id)
        const part = Math.round((m.amount / 2) * 100) / 100
        expect((await api.post(`/admin/payments/${m.paymentId}/capture`, { amount: part }, { headers })).status).toBe(
          200
        )

        // shipped in TradeGecko; the process created the Medusa fulfillment and died before the shipment
        await tg.control("POST", `/orders/${link.tradegecko_order_id}/ship`, {
          tracking_number: "HALF-1",
          tracking_company: "UPS",
        })
        const [f] = (await tg.api("GET", `/fulfillments?order_id=${link.tradegecko_order_id}`)).body.fulfillments
        await createOrderFulfillmentWorkflow(container).run({
          input: {
            order_id: order.id,
            items: [{ id: itemId, quantity: 1 }],
            labels: [],
            metadata: { tradegecko_fulfillment_id: f.id },
          },
        })
        const run1: any = (await reconcileTradegeckoOrdersWorkflow(container).run({ input: { trigger: "manual" } }))
          .result
        expect(run1.counts).toMatchObject({ ours: 1, failed: 0 })
        const shipped = await medusaOrder(container, order.id, ["fulfillments.shipped_at", "fulfillments.location_id"])
        expect(shipped.fulfillments.map((x: any) => Boolean(x.shipped_at))).toEqual([true])

        // TradeGecko marks the order paid, takes the tee back; the process began the Medusa
        // return and requested the item, then died; then the order is voided in TradeGecko
        await tg.control("POST", `/orders/${link.tradegecko_order_id}/pay`)
        const ret = await tg.api("POST", "/fulfillment_returns", {
          fulfillment_return: {
            order_id: link.tradegecko_order_id,
            status: "received",
            fulfillment_return_line_items: [{ order_line_item_id: tgLineId, quantity: "1" }],
          },
        })
        expect(ret.status).toBe(201)
        const { result: change } = await beginReturnOrderWorkflow(container).run({
          input: {
            order_id: order.id,
            location_id: shipped.fulfillments[0].location_id,
            description: "TradeGecko return",
            metadata: { tradegecko_fulfillment_return_id: ret.body.fulfillment_return.id },
          },
        })
        await requestItemReturnWorkflow(container).run({
          input: { return_id: (change as any).return_id, items: [{ id: itemId, quantity: 1 }] },
        })
        await tg.control("POST", `/orders/${link.tradegecko_order_id}/void`)

        const run2: any = (await reconcileTradegeckoOrdersWorkflow(container).run({ input: { trigger: "manual" } }))
          .result
        expect(run2.counts).toMatchObject({ ours: 1, failed: 0 })
        // the rest of the payment was captured: to the cent, nothing more, nothing refunded
        const after = await money(container, order.id)
        expect([after.captured, after.captures, after.refunded]).toEqual([after.amount, 2, 0])
        // one return, the one begun before, received
        const { returns } = await medusaOrder(container, order.id, [
          "returns.id",
          "returns.status",
          "returns.items.received_quantity",
        ])
        expect(returns.map((r: any) => [r.id, r.status, r.items.map((i: any) => Number(i.received_quantity))])).toEqual(
          [[(change as any).return_id, "received", [1]]]
        )
        // the void after them was applied too: paid, so flagged for a person, not canceled
        expect(after.status).not.toBe("canceled")
        expect((await statusChanges(headers)).map((c) => [c.order_id, c.action, c.status])).toEqual([
          [order.id, "void", "attention"],
        ])
        // Medusa's partial capture was not sent as "pay" to TradeGecko (TradeGecko's own "paid" came first)
        expect(await actionPosts(link.tradegecko_order_id)).toEqual([])
      })
    })

    describe("Orders → TradeGecko: what the server log says", () => {
      it("a push that fails is logged once per failure at warn, its recovery once at info, with the order and the reason and no secret", async () => {
        const container = getContainer()
        const { headers } = await createAdminHeaders(container)
        const tee = await medusaVariantId(container, 200002)
        await tg.control("POST", "/down")
        let order: any
        try {
          order = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 1 }], "log-down@example.com")
          await waitForLink(container, order.id, "failed", 60_000)
          const again = await api.post(`/admin/tradegecko/orders/${order.id}/retry`, {}, { headers })
          expect(again.data.order).toMatchObject({ status: "failed", attempts: 2 })
        } finally {
          await tg.control("POST", "/up")
        }
        const failures = logLines(new RegExp(`TradeGecko push of order #${order.display_id} \\(${order.id}\\) failed`))
        expect(failures).toHaveLength(2)
        for (const l of failures) expect(l).toMatch(/warn/i)
        expect(failures[1]).toMatch(/attempt 2/)
        const retry = await api.post(`/admin/tradegecko/orders/${order.id}/retry`, {}, { headers })
        expect(retry.data.order).toMatchObject({ status: "pushed" })
        await api.post(`/admin/tradegecko/orders/${order.id}/retry`, {}, { headers })
        const recovered = logLines(
          new RegExp(`TradeGecko push of order #${order.display_id} \\(${order.id}\\) succeeded after 3 attempts`)
        )
        expect(recovered).toHaveLength(1)
        expect(recovered[0]).toMatch(/info/i)
        const secrets = {
          privilegedToken: tg.sandbox.credentials.privilegedToken,
          clientSecret: tg.sandbox.credentials.clientSecret,
        }
        expect(capturedLogs.flatMap((l) => findSecrets(l, secrets))).toEqual([])
      })
    })
  },
})
