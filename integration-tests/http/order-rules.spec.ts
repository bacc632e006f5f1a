import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { capturePaymentWorkflow, createPromotionsWorkflow, createTaxRatesWorkflow } from "@medusajs/medusa/core-flows"
import path from "node:path"
import { applyTradegeckoOrderStatusWorkflow } from "../../src/workflows/orders/apply-tradegecko-order-status"
import { useShop } from "../helpers/checkout"
import { placeOrder, waitForLink } from "../helpers/orders"
import { useAppEnv } from "../helpers/env"
import { useSandbox } from "../helpers/sandbox"
import { medusaVariantId, waitFor } from "../helpers/wait"

jest.setTimeout(240_000)

/**
 * The rules of an order push: tax per line (Medusa's rate for the shipping country, 0 for
 * tax-free items, shipping at the rate Medusa charged on it, the account's default tax type
 * where Medusa has no tax region), promotions as discount lines, totals to the cent, the
 * acceptance rule (finalized vs draft with its reason), and a create that times out.
 * This app runs with the plugin options autoFinalizeOrders: true and requestTimeoutSeconds: 2.
 */
useAppEnv({ TRADEGECKO_AUTO_FINALIZE_ORDERS: "true", TRADEGECKO_REQUEST_TIMEOUT_SECONDS: "2" })

const SEED = { products: 10, variantsPerProduct: 2, seed: 1 }
const tg = useSandbox({ seed: SEED })

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    const shop = useShop({ api, getContainer }, tg, { seed: SEED })

    const tgOrder = async (id: number) => (await tg.api("GET", `/orders/${id}?include=order_line_items`)).body
    const medusaTotal = async (container: MedusaContainer, id: string) =>
      Number(
        (
          (
            await container
              .resolve(ContainerRegistrationKeys.QUERY)
              .graph({ entity: "order", fields: ["total"], filters: { id } })
          ).data[0] as any
        ).total
      )
    const productOf = async (container: MedusaContainer, variantId: string) =>
      (
        (
          await container
            .resolve(ContainerRegistrationKeys.QUERY)
            .graph({ entity: "product_variant", fields: ["product_id"], filters: { id: variantId } })
        ).data[0] as any
      ).product_id
    const linesOf = (body: any) =>
      body.order_line_items.map((l: any) => ({
        variant_id: l.variant_id,
        label: l.label,
        price: l.price,
        tax_rate_override: l.tax_rate_override,
        tax_type_id: l.tax_type_id,
      }))

    /** The cap is tax-free in Medusa's US tax region; promotion TENOFF takes 10 % off every item. */
    const taxFreeCapAndPromotion = async () => {
      const container = getContainer()
      const cap = await medusaVariantId(container, 200003)
      const [usRegion] = await container.resolve("tax").listTaxRegions({ country_code: "us" })
      await createTaxRatesWorkflow(container).run({
        input: [
          {
            tax_region_id: usRegion.id,
            rate: 0,
            code: "FREE",
            name: "Tax free",
            rules: [{ reference: "product", reference_id: await productOf(container, cap) }],
          },
        ],
      })
      await createPromotionsWorkflow(container).run({
        input: {
          promotionsData: [
            {
              code: "TENOFF",
              type: "standard",
              status: "active",
              application_method: {
                type: "percentage",
                target_type: "items",
                allocation: "each",
                max_quantity: 100,
                value: 10,
                currency_code: "usd",
              },
            },
          ],
        },
      })
    }
    /** Sold out in TradeGecko since Medusa last looked (fresh stock, so checkout does not ask): a pushed draft. */
    const soldOutDraft = async () => {
      const container = getContainer()
      const sock = await medusaVariantId(container, 200002)
      for (const location of (await tg.api("GET", "/locations")).body.locations) {
        await tg.control("POST", "/variants/200002/stock", { stock_on_hand: 0, location_id: location.id })
      }
      const short = await placeOrder(shop, shop.regionId, [{ variant_id: sock, quantity: 1 }], "short@example.com")
      return { short, shortLink: await waitForLink(container, short.id, "pushed") }
    }

    describe("Orders → TradeGecko: tax lines and totals", () => {
      it("a US order at full price carries Medusa's 10 % on the item and on shipping, and TradeGecko's total is Medusa's", async () => {
        const container = getContainer()
        await taxFreeCapAndPromotion()
        const tee = await medusaVariantId(container, 200001)
        const plain = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 1 }], "tax@example.com")
        const plainLink = await waitForLink(container, plain.id, "pushed")
        const plainTg = await tgOrder(plainLink.tradegecko_order_id)
        expect(linesOf(plainTg)).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ variant_id: 200001, tax_rate_override: "10.0" }),
            expect.objectContaining({ label: "Shipping: Standard", tax_rate_override: "10.0" }),
          ])
        )
        expect(Number(plainTg.order.total)).toBeCloseTo(await medusaTotal(container, plain.id), 2)
      })

      it("a promotion becomes its own discount line at the line's tax rate, and the totals still equal", async () => {
        const container = getContainer()
        await taxFreeCapAndPromotion()
        const tee = await medusaVariantId(container, 200001)
        const promo = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 2 }], "promo@example.com", {
          promotion: "TENOFF",
        })
        const promoLink = await waitForLink(container, promo.id, "pushed")
        const promoTg = await tgOrder(promoLink.tradegecko_order_id)
        expect(linesOf(promoTg)).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ label: "Promotion TENOFF", price: "-20.0", tax_rate_override: "10.0" }),
          ])
        )
        expect(Number(promoTg.order.total)).toBeCloseTo(await medusaTotal(container, promo.id), 2)
      })

      it("a tax-free item's line carries 0 %, while shipping keeps the 10 % Medusa charged on it", async () => {
        const container = getContainer()
        await taxFreeCapAndPromotion()
        const cap = await medusaVariantId(container, 200003)
        const free = await placeOrder(shop, shop.regionId, [{ variant_id: cap, quantity: 1 }], "free@example.com")
        const freeTg = await tgOrder((await waitForLink(container, free.id, "pushed")).tradegecko_order_id)
        expect(linesOf(freeTg)).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ variant_id: 200003, tax_rate_override: "0.0" }),
            expect.objectContaining({ label: "Shipping: Standard", tax_rate_override: "10.0" }),
          ])
        )
        expect(Number(freeTg.order.total)).toBeCloseTo(await medusaTotal(container, free.id), 2)
      })

      // Canada has no tax region in Medusa, so Medusa charged no tax: every line carries 0 % (never the
      // account's default tax type, which would make TradeGecko ask for more than the customer paid)
      it("a country without a Medusa tax region: every line carries 0 % and the totals equal", async () => {
        const container = getContainer()
        const tee = await medusaVariantId(container, 200001)
        const canada = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 1 }], "ca@example.com", {
          country: "ca",
        })
        const canadaTg = await tgOrder((await waitForLink(container, canada.id, "pushed")).tradegecko_order_id)
        expect(linesOf(canadaTg).length).toBeGreaterThan(0)
        for (const line of linesOf(canadaTg)) expect(line).toMatchObject({ tax_rate_override: "0.0" })
        expect(Number(canadaTg.order.total)).toBe(await medusaTotal(container, canada.id))
      })
    })

    describe("Orders → TradeGecko: acceptance rule (finalized or draft)", () => {
      it("an accepted order (full price, in stock) is finalized with no review reason", async () => {
        const container = getContainer()
        const tee = await medusaVariantId(container, 200001)
        const plain = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 1 }], "tax@example.com")
        const plainLink = await waitForLink(container, plain.id, "pushed")
        expect((await tgOrder(plainLink.tradegecko_order_id)).order.status).toBe("finalized")
        expect(plainLink.review_reason).toBeNull()
      })

      it("an order at 90 % of the list price is a draft whose reason names the price", async () => {
        const container = getContainer()
        await taxFreeCapAndPromotion()
        const tee = await medusaVariantId(container, 200001)
        const promo = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 2 }], "promo@example.com", {
          promotion: "TENOFF",
        })
        const promoLink = await waitForLink(container, promo.id, "pushed")
        expect((await tgOrder(promoLink.tradegecko_order_id)).order.status).toBe("draft")
        expect(promoLink.review_reason).toMatch(/price 90\.00 is below 97 % of the retail price 100\.00/)
      })

      it("an item sold out in TradeGecko since Medusa last looked makes a draft whose reason names the shortfall", async () => {
        const { shortLink } = await soldOutDraft()
        expect((await tgOrder(shortLink.tradegecko_order_id)).order.status).toBe("draft")
        expect(shortLink.review_reason).toMatch(/1 ordered, 0 available in TradeGecko/)
      })

      it("a draft under review is not paid when Medusa captures; once the merchant finalizes it, the payment follows", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        const { short, shortLink } = await soldOutDraft()
        const payments = (
          (
            await container
              .resolve(ContainerRegistrationKeys.QUERY)
              .graph({ entity: "order", fields: ["payment_collections.payments.id"], filters: { id: short.id } })
          ).data[0] as any
        ).payment_collections[0].payments
        await capturePaymentWorkflow(container).run({ input: { payment_id: payments[0].id } })
        await waitFor(
          async () =>
            (await tradegecko.listTradegeckoOrderStatusChanges({ order_id: short.id, action: "pay" }))[0]
              ?.last_error === "waiting for the draft's review in TradeGecko",
          20_000,
          "payment waiting for review"
        )
        expect((await tgOrder(shortLink.tradegecko_order_id)).order.payment_status).toBe("unpaid")
        await tg.api("PUT", `/orders/${shortLink.tradegecko_order_id}`, { order: { status: "finalized" } })
        await applyTradegeckoOrderStatusWorkflow(container).run({
          input: { tradegeckoOrderId: shortLink.tradegecko_order_id },
        }) // what the order.finalized webhook does
        expect((await tgOrder(shortLink.tradegecko_order_id)).order.payment_status).toBe("paid")
        expect(
          (await tradegecko.listTradegeckoOrderStatusChanges({ order_id: short.id, action: "pay" })).map(
            (c: any) => c.status
          )
        ).toEqual(["sent"])
      })
    })

    describe("Orders → TradeGecko: a create that times out", () => {
      it("a create slower than the 2 s timeout (TradeGecko created it anyway) is retried with the same key and leaves exactly one order", async () => {
        const container = getContainer()
        const tee = await medusaVariantId(container, 200002)
        await tg.clearRequests()
        await tg.control("POST", "/faults", {
          mode: "delay",
          delayMs: 3000,
          path: "^/orders",
          methods: ["POST"],
          count: 1,
        })
        const order = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 1 }], "slow@example.com")
        const link = await waitForLink(container, order.id, "pushed", 60_000)
        const ref = encodeURIComponent(`#${order.display_id}`)
        expect((await tg.api("GET", `/orders?reference_number=${ref}`)).body.orders).toHaveLength(1)
        const posts = (await tg.control("GET", "/requests")).entries.filter(
          (e: any) => e.method === "POST" && e.path === "/orders"
        )
        expect(posts.length).toBeGreaterThanOrEqual(2) // the timed-out attempt and its retry, same key
        expect(new Set(posts.map((e: any) => e.idempotencyKey))).toEqual(new Set([`medusa-order-${order.id}`]))
        expect(link.tradegecko_order_id).toBe(
          (await tg.api("GET", `/orders?reference_number=${ref}`)).body.orders[0].id
        )
      })
    })
  },
})
