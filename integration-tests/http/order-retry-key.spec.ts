import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import path from "node:path"
import { createAdminHeaders } from "../helpers/admin"
import { useShop } from "../helpers/checkout"
import { useSandbox } from "../helpers/sandbox"
import { placeOrder, waitForLink } from "../helpers/orders"
import { medusaVariantId } from "../helpers/wait"

jest.setTimeout(240_000)

const SEED = { products: 4, variantsPerProduct: 2, seed: 1 }
const tg = useSandbox({ seed: SEED })

interface LogEntry {
  method: string
  path: string
  url: string
  status: number | null
  idempotencyKey: string | null
}

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    const shop = useShop({ api, getContainer }, tg, { seed: SEED })

    describe("Orders → TradeGecko: retrying a refused push", () => {
      it("a push TradeGecko refused (422) succeeds on retry once the merchant fixed the cause: a new key after the lookup, one order", async () => {
        const container = getContainer()
        const { headers } = await createAdminHeaders(container)
        const tee = await medusaVariantId(container, 200002)
        // The store sells in USD, which is not (any more) an active currency of the TradeGecko account.
        await tg.control("POST", "/currencies/1", { status: "disabled" })
        await tg.clearRequests()
        const order = await placeOrder(shop, shop.regionId, [{ variant_id: tee, quantity: 2 }], "retry@example.com")
        const failed = await waitForLink(container, order.id, "failed", 60_000)
        expect(failed.last_error).toContain("currency_iso is not a currency of this account")
        expect(failed.last_push_status).toBe(422)

        // The merchant turns USD back on in TradeGecko and presses "Retry" on the order health page.
        await tg.control("POST", "/currencies/1", { status: "active" })
        const retry = await api
          .post(`/admin/tradegecko/orders/${order.id}/retry`, {}, { headers })
          .catch((e: any) => e.response)
        expect(retry.status).toBe(200)
        expect(retry.data.order).toMatchObject({
          status: "pushed",
          last_error: null,
          tradegecko_order_id: expect.any(Number),
        })

        // One TradeGecko order for this reference, with the order's lines.
        const reference = `#${order.display_id}`
        const found = await tg.api("GET", `/orders?reference_number=${encodeURIComponent(reference)}`)
        expect(found.body.orders).toHaveLength(1)
        expect(found.body.orders[0].id).toBe(retry.data.order.tradegecko_order_id)

        // The creates: the refused key, then (after a lookup by reference found nothing) a new one.
        const log: LogEntry[] = (await tg.control("GET", "/requests")).entries
        const creates = log.filter((e) => e.method === "POST" && e.path === "/orders")
        expect(creates.map((e) => e.status)).toEqual([422, 201])
        expect(creates[0].idempotencyKey).toBe(`medusa-order-${order.id}`)
        expect(creates[1].idempotencyKey).toEqual(expect.stringContaining(order.id))
        expect(creates[1].idempotencyKey).not.toBe(creates[0].idempotencyKey)
        const lookup = log.findIndex(
          (e) => e.method === "GET" && e.path === "/orders" && e.url.includes("reference_number")
        )
        expect(lookup).toBeGreaterThan(log.indexOf(creates[0]))
        expect(lookup).toBeLessThan(log.indexOf(creates[1]))

        // Pressing Retry again changes nothing.
        const again = await api.post(`/admin/tradegecko/orders/${order.id}/retry`, {}, { headers })
        expect(again.data.order).toMatchObject({
          status: "pushed",
          tradegecko_order_id: retry.data.order.tradegecko_order_id,
        })
        expect(
          (await tg.api("GET", `/orders?reference_number=${encodeURIComponent(reference)}`)).body.orders
        ).toHaveLength(1)
      })
    })
  },
})
