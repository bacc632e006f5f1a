import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import path from "node:path"
import { webhookSignature } from "../../sandbox"
import { WEBHOOK_EVENTS } from "../../sandbox/resources/webhook"
import { listTradegeckoWebhooksStep } from "../../src/workflows/webhooks/steps/list-tradegecko-webhooks"
import { registerTradegeckoWebhooksStep } from "../../src/workflows/webhooks/steps/register-tradegecko-webhooks"
import { recordWebhookOutcomeStep } from "../../src/workflows/webhooks/steps/record-webhook-outcome"
import { recordWebhookDeliveryStep } from "../../src/workflows/webhooks/steps/record-webhook-delivery"
import { createAdminHeaders } from "../helpers/admin"
import { useAppEnv } from "../helpers/env"
import { useSandbox } from "../helpers/sandbox"

jest.setTimeout(240_000)

/**
 * The TradeGecko event table is the one source of the registration, the receiver and the
 * worker: what TradeGecko is asked to send is exactly what the receiver records. And the
 * webhook steps that write undo their write when a later step fails.
 */
const tg = useSandbox({ seed: { products: 2, variantsPerProduct: 1, seed: 1 } })
useAppEnv({ TRADEGECKO_WEBHOOK_BASE_URL: "http://shop.example.test" })

async function subscriptions() {
  const { body } = await tg.api("GET", "/webhooks")
  return body.webhooks as Array<{ id: number; event: string; address: string }>
}

/** What a step between the write and the failure read (proof the earlier step wrote). */
let seen: unknown = null
/** A later step of the same workflow fails. */
const failingStep = createStep("test-webhooks-later-step-fails", async () => {
  throw new Error("a later step failed")
})

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    describe("webhooks: the event table", () => {
      it("after registration TradeGecko sends every event the receiver records, and no event the receiver throws away", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const secret = tg.sandbox.credentials.clientSecret
        // Every event TradeGecko can send, delivered once: the receiver records the ones the plugin handles.
        for (const [n, event] of WEBHOOK_EVENTS.entries()) {
          const body = JSON.stringify({
            object_id: 9_000 + n,
            event,
            timestamp: 1700000000,
            resource_url: `${tg.sandbox.url}/x/${9_000 + n}.json`,
          })
          const res = await api.post("/hooks/tradegecko", body, {
            headers: {
              "content-type": "application/json",
              "x-gecko-signature": webhookSignature(secret, body),
              "x-gecko-delivery": `events-${event}`,
            },
          })
          expect(res.status).toBe(200)
        }
        const recorded = new Set<string>(
          (await tradegecko.listTradegeckoWebhookDeliveries({})).map((d: any) => d.event)
        )
        expect(recorded.size).toBeGreaterThan(0)

        const { headers } = await createAdminHeaders(container)
        expect(await subscriptions()).toHaveLength(0)
        await api.post("/admin/tradegecko/webhooks", {}, { headers })
        const registered = new Set((await subscriptions()).map((w) => w.event))

        expect([...recorded].filter((e) => !registered.has(e)).sort()).toEqual([])
        expect([...registered].filter((e) => !recorded.has(e)).sort()).toEqual([])
        // and the admin's health list names the same events
        const health = (await api.get("/admin/tradegecko/webhooks", { headers })).data.webhooks
        expect(new Set(health.filter((w: any) => w.registered).map((w: any) => w.event))).toEqual(registered)
      })
    })

    describe("webhooks: compensation", () => {
      it("the webhooks a registration created are deleted in TradeGecko when a later step fails", async () => {
        const container = getContainer()
        for (const w of await subscriptions()) await tg.api("DELETE", `/webhooks/${w.id}`)
        // one subscription exists before: the undo deletes only what the step created
        const kept = (
          await tg.api("POST", "/webhooks", {
            webhook: { event: "product.create", address: "http://shop.example.test/hooks/tradegecko" },
          })
        ).body.webhook
        await tg.clearRequests()
        const wf = createWorkflow("test-register-webhooks-then-fail", () => {
          const listed = listTradegeckoWebhooksStep()
          registerTradegeckoWebhooksStep(listed)
          failingStep()
          return new WorkflowResponse(listed)
        })
        const { errors } = await wf(container).run({ throwOnError: false })
        expect(errors.map((e: any) => e.error?.message)).toEqual(["a later step failed"])
        const counts = await tg.requestCounts()
        expect(counts["POST /webhooks"]).toBeGreaterThan(0) // the step did create some
        expect(counts["DELETE /webhooks/:id"]).toBe(counts["POST /webhooks"])
        expect((await subscriptions()).map((w) => w.id)).toEqual([kept.id])
      })

      it("a delivery the receiver recorded is deleted when a later step fails", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const readRows = createStep("test-read-recorded-delivery", async (deliveryId: string) => {
          seen = await tradegecko.listTradegeckoWebhookDeliveries({ delivery_id: deliveryId })
          return new StepResponse(null)
        })
        const wf = createWorkflow("test-record-delivery-then-fail", (input: { delivery_id: string }) => {
          recordWebhookDeliveryStep({ delivery_id: input.delivery_id, event: "order.finalized", object_id: 7 } as any)
          readRows(input.delivery_id)
          failingStep()
          return new WorkflowResponse(input)
        })
        const { errors } = await wf(container).run({
          input: { delivery_id: "compensate-record-1" },
          throwOnError: false,
        })
        expect(errors).toHaveLength(1)
        expect(seen).toEqual([expect.objectContaining({ delivery_id: "compensate-record-1", status: "received" })])
        expect(await tradegecko.listTradegeckoWebhookDeliveries({ delivery_id: "compensate-record-1" })).toEqual([])
      })

      it("an outcome written on a delivery is undone when a later step fails", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const row = await tradegecko.createTradegeckoWebhookDeliveries({
          delivery_id: "compensate-1",
          event: "order.finalized",
          object_id: 1,
          status: "received",
        })
        const readRow = createStep("test-read-delivery", async (id: string) => {
          seen = (await tradegecko.listTradegeckoWebhookDeliveries({ id }))[0]
          return new StepResponse(null)
        })
        const wf = createWorkflow("test-record-outcome-then-fail", (input: { id: string }) => {
          recordWebhookOutcomeStep({ id: input.id, outcome: { status: "failed", error: "TradeGecko down" } } as any)
          readRow(input.id)
          failingStep()
          return new WorkflowResponse(input)
        })
        const { errors } = await wf(container).run({ input: { id: row.id }, throwOnError: false })
        expect(errors).toHaveLength(1)
        expect(seen).toMatchObject({ status: "failed", error: "TradeGecko down", attempts: 1 })
        const [after] = await tradegecko.listTradegeckoWebhookDeliveries({ id: row.id })
        expect(after).toMatchObject({ status: "received", error: null, attempts: 0, next_attempt_at: null })
      })
    })
  },
})
