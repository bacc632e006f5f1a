import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createStep, createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import path from "node:path"
import { pushOrderToTradegeckoWorkflow } from "../../src/workflows/orders/push-order-to-tradegecko"
import { beginOrderPushStep } from "../../src/workflows/orders/steps/begin-order-push"
import { buildTradegeckoOrderStep } from "../../src/workflows/orders/steps/build-tradegecko-order"
import { recordSkippedOrderPushStep } from "../../src/workflows/orders/steps/record-skipped-order-push"
import { recordOrderPushFailureStep } from "../../src/workflows/orders/steps/record-order-push-failure"
import {
  dismissWaitingPaymentStep,
  recordOrderStatusChangeStep,
} from "../../src/workflows/orders/steps/order-status-changes"
import { seedShop, storefront } from "../helpers/checkout"
import { useSandbox } from "../helpers/sandbox"
import { placeOrder } from "../helpers/orders"
import { medusaVariantId } from "../helpers/wait"

jest.setTimeout(240_000)

const SEED = { products: 4, variantsPerProduct: 2, seed: 1 }
const tg = useSandbox({ seed: SEED })

/** A step after the plugin's: what a host app's own failing step looks like. */
const failLater = createStep("test-orders-fail-later", async () => {
  throw new Error("a later step failed")
})

// Host workflows: the plugin's workflow or one of its steps, then a step that fails.
const hostPushThenFail = createWorkflow("test-orders-host-push-then-fail", (input: { orderId: string }) => {
  const link = pushOrderToTradegeckoWorkflow.runAsStep({ input })
  failLater()
  return new WorkflowResponse(link)
})
const beginThenFail = createWorkflow("test-orders-begin-then-fail", (input: { orderId: string }) => {
  beginOrderPushStep(input)
  failLater()
  return new WorkflowResponse(null)
})
const beginFailureRecordThenFail = createWorkflow(
  "test-orders-failure-record-then-fail",
  (input: { orderId: string; linkId: string }) => {
    beginOrderPushStep({ orderId: input.orderId })
    recordOrderPushFailureStep({ linkId: input.linkId, reason: "refused by TradeGecko", status: 422 })
    failLater()
    return new WorkflowResponse(null)
  }
)
const buildThenFail = createWorkflow("test-orders-build-then-fail", (input: { orderId: string }) => {
  const built = buildTradegeckoOrderStep(input)
  failLater()
  return new WorkflowResponse(built)
})
const skipThenFail = createWorkflow(
  "test-orders-skip-then-fail",
  (input: { orderId: string; reference: string; reason: string }) => {
    recordSkippedOrderPushStep(input)
    failLater()
    return new WorkflowResponse(null)
  }
)
const recordChangeThenFail = createWorkflow(
  "test-orders-record-change-then-fail",
  (input: { orderId: string; action: "pay" | "void" }) => {
    recordOrderStatusChangeStep(input)
    failLater()
    return new WorkflowResponse(null)
  }
)
const dismissPaymentThenFail = createWorkflow("test-orders-dismiss-payment-then-fail", (input: { orderId: string }) => {
  dismissWaitingPaymentStep(input)
  failLater()
  return new WorkflowResponse(null)
})

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    let shop: ReturnType<typeof storefront>
    let regionId: string

    beforeEach(async () => {
      ;({ shop, regionId } = await seedShop(getContainer(), api, () => tg.control("POST", "/reset", { seed: SEED })))
    })

    const tradegeckoOf = () => getContainer().resolve("tradegecko") as any
    const linksOf = (orderId: string) => tradegeckoOf().listTradegeckoOrderLinks({ order_id: orderId })
    /** Live TradeGecko orders with this reference (void and deleted ones are not listed). */
    const tgOrdersFor = async (order: { display_id: number }) =>
      (await tg.api("GET", `/orders?reference_number=${encodeURIComponent(`#${order.display_id}`)}`)).body.orders
    /** An order placed while the sync is off, so that no subscriber touched it; settings then as given. */
    const orderNobodyPushed = async (email: string, settings: Record<string, unknown> = {}) => {
      const tradegecko = tradegeckoOf()
      await tradegecko.saveSettings({ orderSyncLevel: "off" })
      const tee = await medusaVariantId(getContainer(), 200001)
      const order = await placeOrder(shop, regionId, [{ variant_id: tee, quantity: 1 }], email)
      await tradegecko.saveSettings({ orderSyncLevel: null, orderSyncFrom: null, ...settings })
      expect(await linksOf(order.id)).toEqual([])
      return order
    }
    afterEach(async () => {
      await tradegeckoOf().saveSettings({ orderSyncLevel: null, orderSyncFrom: null })
    })

    describe("Orders: the push workflow run directly, as a host app runs it", () => {
      it("with orderSyncLevel off it records nothing and sends nothing", async () => {
        const order = await orderNobodyPushed("host-off@example.com", { orderSyncLevel: "off" })
        const { result } = await pushOrderToTradegeckoWorkflow(getContainer()).run({ input: { orderId: order.id } })
        expect(result).toBeNull()
        expect(await linksOf(order.id)).toEqual([])
        expect(await tgOrdersFor(order)).toEqual([])
      })

      it("an order placed before orderSyncFrom is recorded as skipped, not sent", async () => {
        const order = await orderNobodyPushed("host-early@example.com", { orderSyncFrom: "2999-01-01" })
        await pushOrderToTradegeckoWorkflow(getContainer()).run({ input: { orderId: order.id } })
        const links = await linksOf(order.id)
        expect(links.map((l: any) => [l.status, l.last_error])).toEqual([
          ["skipped", "placed before orderSyncFrom (2999-01-01)"],
        ])
        expect(await tgOrdersFor(order)).toEqual([])
      })

      it("a TradeGecko refusal is kept as a failed push with its reason and next attempt, not left pushing", async () => {
        const order = await orderNobodyPushed("host-refused@example.com")
        // the store's currency is not an active currency of the TradeGecko account: 422
        await tg.control("POST", "/currencies/1", { status: "disabled" })
        await pushOrderToTradegeckoWorkflow(getContainer()).run({ input: { orderId: order.id }, throwOnError: false })
        const [link] = await linksOf(order.id)
        expect(link).toMatchObject({ status: "failed", attempts: 1, last_push_status: 422, tradegecko_order_id: null })
        expect(link.last_error).toContain("currency_iso is not a currency of this account")
        expect(new Date(link.next_attempt_at).getTime()).toBeGreaterThan(Date.now())
        expect(await tgOrdersFor(order)).toEqual([])

        // once the merchant fixed it, the next run pushes one order
        await tg.control("POST", "/currencies/1", { status: "active" })
        const { result } = await pushOrderToTradegeckoWorkflow(getContainer()).run({ input: { orderId: order.id } })
        expect(result).toMatchObject({ status: "pushed", attempts: 2 })
        expect(await tgOrdersFor(order)).toHaveLength(1)
      })
    })

    describe("Orders: compensations undo what a step wrote when a later step fails", () => {
      it("send: the TradeGecko order it created is deleted, and the link takes a new key and is failed", async () => {
        const order = await orderNobodyPushed("host-undo@example.com")
        const { errors } = await hostPushThenFail(getContainer()).run({
          input: { orderId: order.id },
          throwOnError: false,
        })
        expect(errors.map((e: any) => e.error?.message)).toContain("a later step failed")
        expect(await tgOrdersFor(order)).toEqual([])
        const [link] = await linksOf(order.id)
        expect(link).toMatchObject({ status: "failed", tradegecko_order_id: null })
        expect(link.idempotency_key).not.toBe(`medusa-order-${order.id}`)

        // the next push creates the order again (the old key would replay the deleted one)
        const { result } = await pushOrderToTradegeckoWorkflow(getContainer()).run({ input: { orderId: order.id } })
        expect({ status: result.status, last_error: result.last_error }).toEqual({ status: "pushed", last_error: null })
        const live = await tgOrdersFor(order)
        expect(live).toHaveLength(1)
        expect(live[0].id).toBe(result.tradegecko_order_id)
      })

      it("begin: a push interrupted by a later step is failed with a next attempt, not left pushing", async () => {
        const order = await orderNobodyPushed("host-begin@example.com")
        await beginThenFail(getContainer()).run({ input: { orderId: order.id }, throwOnError: false })
        const [link] = await linksOf(order.id)
        expect(link).toMatchObject({ status: "failed", attempts: 1 })
        expect(link.last_error).toMatch(/^interrupted/)
        expect(link.next_attempt_at).not.toBeNull()
      })

      it("failure record: the link goes back to the attempt, which is then recorded as interrupted", async () => {
        const order = await orderNobodyPushed("host-record@example.com")
        const tradegecko = tradegeckoOf()
        const link = await tradegecko.createTradegeckoOrderLinks({
          order_id: order.id,
          reference: `#${order.display_id}`,
          idempotency_key: `k-${order.id}`,
          status: "pending",
        })
        await beginFailureRecordThenFail(getContainer()).run({
          input: { orderId: order.id, linkId: link.id },
          throwOnError: false,
        })
        const [after] = await linksOf(order.id)
        expect(after.status).toBe("failed")
        expect(after.last_push_status).toBeNull()
        expect(after.last_error).toMatch(/^interrupted/)
      })

      it("build: the e-mail → company entry it cached is removed", async () => {
        // a customer TradeGecko already knows (found by e-mail, cached by the build step)
        const company = await tg.api("POST", "/companies", {
          company: { name: "Known Buyer", email: "known@example.com", company_type: "consumer" },
        })
        expect(company.status).toBe(201)
        const order = await orderNobodyPushed("known@example.com")
        const { errors } = await buildThenFail(getContainer()).run({
          input: { orderId: order.id },
          throwOnError: false,
        })
        expect(errors.length).toBeGreaterThan(0)
        expect((await tg.requestCounts())["GET /companies"]).toBeGreaterThan(0)
        expect(await tradegeckoOf().listTradegeckoCustomerLinks({ email: "known@example.com" })).toEqual([])
      })

      it("skipped record: the link it created is removed", async () => {
        const order = await orderNobodyPushed("host-skip@example.com")
        await skipThenFail(getContainer()).run({
          input: { orderId: order.id, reference: `#${order.display_id}`, reason: "test" },
          throwOnError: false,
        })
        expect(await linksOf(order.id)).toEqual([])
      })

      it("status change record: the row it created is removed", async () => {
        const order = await orderNobodyPushed("host-change@example.com")
        await recordChangeThenFail(getContainer()).run({
          input: { orderId: order.id, action: "void" },
          throwOnError: false,
        })
        expect(await tradegeckoOf().listTradegeckoOrderStatusChanges({ order_id: order.id })).toEqual([])
      })

      it("dismissed payment: the waiting payment goes back to waiting", async () => {
        const order = await orderNobodyPushed("host-dismiss@example.com")
        const tradegecko = tradegeckoOf()
        const next = new Date(Date.now() + 60_000)
        await tradegecko.createTradegeckoOrderStatusChanges({
          order_id: order.id,
          direction: "to_tradegecko",
          action: "pay",
          status: "failed",
          last_error: "unavailable",
          next_attempt_at: next,
        })
        await dismissPaymentThenFail(getContainer()).run({ input: { orderId: order.id }, throwOnError: false })
        const [pay] = await tradegecko.listTradegeckoOrderStatusChanges({ order_id: order.id })
        expect(pay).toMatchObject({ status: "failed", last_error: "unavailable" })
        expect(new Date(pay.next_attempt_at).getTime()).toBe(next.getTime())
      })
    })
  },
})
