import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createProductsWorkflow,
  createPromotionsWorkflow,
  createRegionsWorkflow,
  createTaxRatesWorkflow,
  createTaxRegionsWorkflow,
  updateStoresWorkflow,
} from "@medusajs/medusa/core-flows"
import path from "node:path"
import { chargedAmount } from "../../src/mappings/medusa-order-to-tradegecko"
import { useShop } from "../helpers/checkout"
import { placeOrder, waitForLink } from "../helpers/orders"
import { useSandbox } from "../helpers/sandbox"
import { medusaVariantId } from "../helpers/wait"

jest.setTimeout(240_000)

/**
 * Totals to the cent, through the real path: store API checkout → order.placed → the
 * sandbox's order record. The TradeGecko order's total must equal Medusa's order total and
 * the payment Medusa authorised, rounded to the currency's decimals (chargedAmount).
 */
const SEED = { products: 10, variantsPerProduct: 2, seed: 1 }
const tg = useSandbox({ seed: SEED })

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    const shop = useShop({ api, getContainer }, tg, {
      seed: SEED,
      // the merchant's TradeGecko price for the tee, which the catalog sync brings to Medusa
      prepareSandbox: async () => {
        const res = await tg.api("PUT", "/variants/200001", { variant: { retail_price: "24.99" } })
        if (res.status >= 300) throw new Error(`price update: ${res.status}`)
      },
    })

    /** Medusa's order total and the payment it authorised, as the API gives them. */
    const medusaCharge = async (container: MedusaContainer, id: string) => {
      const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
        entity: "order",
        fields: ["total", "currency_code", "payment_collections.payments.amount"],
        filters: { id },
      })
      const order = data[0] as any
      const payments = order.payment_collections.flatMap((pc: any) => pc.payments)
      expect(payments).toHaveLength(1)
      return { total: order.total, authorised: payments[0].amount, currency: order.currency_code as string }
    }
    const tgOrder = async (id: number) => (await tg.api("GET", `/orders/${id}?include=order_line_items`)).body

    /** The cap is tax-free in Medusa's US tax region; promotion SAVE15 takes 15 % off every item. */
    const taxFreeCapAndPromotion = async (container: MedusaContainer) => {
      const cap = await medusaVariantId(container, 200003)
      const [usRegion] = await container.resolve(Modules.TAX).listTaxRegions({ country_code: "us" })
      const capProduct = (
        (
          await container
            .resolve(ContainerRegistrationKeys.QUERY)
            .graph({ entity: "product_variant", fields: ["product_id"], filters: { id: cap } })
        ).data[0] as any
      ).product_id
      await createTaxRatesWorkflow(container).run({
        input: [
          {
            tax_region_id: usRegion.id,
            rate: 0,
            code: "FREE",
            name: "Tax free",
            rules: [{ reference: "product", reference_id: capProduct }],
          },
        ],
      })
      await createPromotionsWorkflow(container).run({
        input: {
          promotionsData: [
            {
              code: "SAVE15",
              type: "standard",
              status: "active",
              application_method: {
                type: "percentage",
                target_type: "items",
                allocation: "each",
                max_quantity: 100,
                value: 15,
                currency_code: "usd",
              },
            },
          ],
        },
      })
    }

    describe("Orders → TradeGecko: totals to the cent", () => {
      it("a 15 % promotion with taxed shipping: TradeGecko's total is Medusa's and the authorised payment, with a rounding line", async () => {
        const container = getContainer()
        await taxFreeCapAndPromotion(container)
        const tee = await medusaVariantId(container, 200001)
        // 24.99 − 15 % (3.7485) + 10 % tax, shipping 10 + 10 % tax: Medusa 34.36565 → 34.37 (the lines alone, discount rounded to −3.75: 34.364 → 34.36)
        const promo = await placeOrder(
          shop,
          shop.regionId,
          [{ variant_id: tee, quantity: 1 }],
          "promo-total@example.com",
          { promotion: "SAVE15" }
        )
        const promoTg = await tgOrder((await waitForLink(container, promo.id, "pushed")).tradegecko_order_id)
        const promoCharge = await medusaCharge(container, promo.id)
        expect(Number(promoCharge.total)).toBeCloseTo(34.36565, 5) // Medusa's exact total, unrounded
        expect(Number(promoTg.order.total)).toBe(chargedAmount(promoCharge.total, 2).toNumber())
        expect(Number(promoTg.order.total)).toBe(chargedAmount(promoCharge.authorised, 2).toNumber())
        expect(Number(promoTg.order.total)).toBe(34.37)
        const promoLines = promoTg.order_line_items.map((l: any) => [l.line_type, l.price, l.tax_rate_override])
        expect(promoLines).toEqual(
          expect.arrayContaining([
            ["product", "24.99", "10.0"],
            ["shipping", "10.0", "10.0"],
            ["discount", "-3.75", "10.0"],
            ["rounding", "0.01", "0.0"],
          ])
        )
      })

      it("only a tax-free item: Medusa still taxes shipping (10 + 1), and so does TradeGecko; the totals equal", async () => {
        const container = getContainer()
        await taxFreeCapAndPromotion(container)
        const cap = await medusaVariantId(container, 200003)
        const free = await placeOrder(shop, shop.regionId, [{ variant_id: cap, quantity: 1 }], "free-total@example.com")
        const freeTg = await tgOrder((await waitForLink(container, free.id, "pushed")).tradegecko_order_id)
        const freeCharge = await medusaCharge(container, free.id)
        expect(Number(freeTg.order.total)).toBe(chargedAmount(freeCharge.total, 2).toNumber())
        expect(Number(freeTg.order.total)).toBe(chargedAmount(freeCharge.authorised, 2).toNumber())
        expect(freeTg.order_line_items.map((l: any) => [l.line_type, l.tax_rate_override])).toEqual(
          expect.arrayContaining([
            ["product", "0.0"],
            ["shipping", "10.0"],
          ])
        )
      })

      it("a three-decimal currency (KWD): TradeGecko's total keeps the fils Medusa charged", async () => {
        const container = getContainer()
        const query = container.resolve(ContainerRegistrationKeys.QUERY)
        // the merchant sells in Kuwait: KWD in the store, a region with 5 % tax, and KWD in their TradeGecko account
        const {
          data: [store],
        } = await query.graph({ entity: "store", fields: ["id"] })
        await updateStoresWorkflow(container).run({
          input: {
            selector: { id: (store as any).id },
            update: {
              supported_currencies: [
                { currency_code: "usd", is_default: true },
                { currency_code: "eur" },
                { currency_code: "kwd" },
              ],
            },
          },
        })
        const {
          result: [kuwait],
        } = await createRegionsWorkflow(container).run({
          input: {
            regions: [
              { name: "Kuwait", currency_code: "kwd", countries: ["kw"], payment_providers: ["pp_system_default"] },
            ],
          },
        })
        await createTaxRegionsWorkflow(container).run({
          input: [
            {
              country_code: "kw",
              provider_id: "tp_system",
              default_tax_rate: { rate: 5, code: "KW", name: "Kuwait tax" },
            },
          ],
        })
        expect(
          (
            await tg.api("POST", "/currencies", {
              currency: { iso: "KWD", name: "Kuwaiti Dinar", symbol: "KD", precision: 3 },
            })
          ).status
        ).toBe(201)
        // a product only Medusa sells, priced in fils, that needs no shipping
        const {
          result: [oil],
        } = await createProductsWorkflow(container).run({
          input: {
            products: [
              {
                title: "Oud oil",
                status: "published",
                sales_channels: [{ id: shop.salesChannelId }],
                options: [{ title: "Size", values: ["10 ml"] }],
                variants: [
                  {
                    title: "10 ml",
                    sku: "OUD-10",
                    manage_inventory: false,
                    options: { Size: "10 ml" },
                    prices: [{ amount: 12.345, currency_code: "kwd" }],
                  },
                ],
              },
            ],
          },
        })
        const {
          data: [key],
        } = await query.graph({ entity: "api_key", fields: ["token"], filters: { type: "publishable" } })
        const headers = { "x-publishable-api-key": (key as any).token }
        const cart = await shop.cart(kuwait.id, [{ variant_id: oil.variants[0].id, quantity: 3 }])
        await shop.enterCheckout(cart, "kw@example.com", "kw")
        const { data: pc } = await api.post("/store/payment-collections", { cart_id: cart }, { headers })
        await api.post(
          `/store/payment-collections/${pc.payment_collection.id}/payment-sessions`,
          { provider_id: "pp_system_default" },
          { headers }
        )
        const done = await shop.complete(cart)
        expect(done.status).toBe(200)
        const order = done.data.order

        // 3 × 12.345 = 37.035 + 5 % = 38.88675 → 38.887
        const tgBody = await tgOrder((await waitForLink(container, order.id, "pushed")).tradegecko_order_id)
        const charge = await medusaCharge(container, order.id)
        expect(charge.currency).toBe("kwd")
        expect(Number(charge.total)).toBeCloseTo(38.88675, 5)
        expect(tgBody.order.total).toBe("38.887")
        expect(Number(tgBody.order.total)).toBe(chargedAmount(charge.total, 3).toNumber())
        expect(Number(tgBody.order.total)).toBe(chargedAmount(charge.authorised, 3).toNumber())
        expect(tgBody.order_line_items.map((l: any) => [l.line_type, l.price])).toEqual([["product", "12.345"]])
        const { body: currency } = await tg.api("GET", `/currencies/${tgBody.order.currency_id}`)
        expect(currency.currency.iso).toBe("KWD")
      })
    })
  },
})
