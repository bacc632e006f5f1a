import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import path from "node:path"
import { startCatalogSync } from "../../src/lib/start-catalog-sync"
import { seedCheckout, storefront } from "../helpers/checkout"
import { describeWithRedis, REDIS_URL } from "../helpers/redis"
import { useSandbox } from "../helpers/sandbox"
import { seedStore } from "../helpers/store"
import { medusaVariantId, waitFor } from "../helpers/wait"

jest.setTimeout(240_000)

// medusa-config.ts switches to the Redis event bus and Redis locking with these
process.env.REDIS_URL = REDIS_URL
process.env.TRADEGECKO_REDIS_INFRA = "true"

describeWithRedis("Orders on Redis infrastructure (event bus + locking): push and shipment", () => {
  const tg = useSandbox({ seed: { products: 10, variantsPerProduct: 2, seed: 1 } })

  medusaIntegrationTestRunner({
    cwd: path.resolve(__dirname, "../.."),
    testSuite: ({ api, getContainer }) => {
      it("an order placed through the store is pushed once via the Redis event bus, and its shipment comes back once", async () => {
        const container = getContainer()
        const store = await seedStore(container)
        const { region, publishableKey } = await seedCheckout(container, store)
        await startCatalogSync(container, { trigger: "manual", dryRun: false, scope: null }).done
        const shop = storefront(api, publishableKey)
        const Redis = require("ioredis")
        const redis = new Redis(REDIS_URL)
        const queuedBefore = Number(await redis.get("RedisEventBusService:events-queue:id"))

        const cart = await shop.cart(region.id, [{ variant_id: await medusaVariantId(container, 200001), quantity: 1 }])
        await shop.enterCheckout(cart, "redis@example.com")
        await shop.shipAndPay(cart)
        const { data } = await shop.complete(cart)
        const tradegecko: any = container.resolve("tradegecko")
        const link = async () => (await tradegecko.listTradegeckoOrderLinks({ order_id: data.order.id }))[0]
        await waitFor(async () => (await link())?.status === "pushed", 30_000, "order pushed via Redis event bus")
        const ref = encodeURIComponent(`#${data.order.display_id}`)
        expect((await tg.api("GET", `/orders?reference_number=${ref}`)).body.orders).toHaveLength(1)

        // the events went through the BullMQ queue in Redis (its job counter moved)
        const queuedAfter = Number(await redis.get("RedisEventBusService:events-queue:id"))
        // the rate-limit budget of every process is counted in Redis (option redisUrl), not in Postgres
        expect((await redis.keys("tradegecko:rate:tg-*")).length).toBeGreaterThan(0)
        const pg = container.resolve("__pg_connection__") as any
        expect(Number((await pg.raw("select count(*)::int as n from tradegecko_rate_window")).rows[0].n)).toBe(0)
        await redis.quit()
        expect(queuedAfter).toBeGreaterThan(queuedBefore)

        // both fulfillment webhooks at once: the Redis lock applies the shipment once
        const address = `${api.defaults.baseURL}/hooks/tradegecko`
        await tg.api("POST", "/webhooks", { webhook: { address, event: "fulfillment.create" } })
        await tg.api("POST", "/webhooks", { webhook: { address, event: "fulfillment.fulfilled" } })
        const { tradegecko_order_id } = await link()
        await tg.control("POST", `/orders/${tradegecko_order_id}/ship`, { tracking_number: "R1" })
        const query = container.resolve("query")
        const fulfillments = async () =>
          (
            (
              await query.graph({
                entity: "order",
                fields: ["fulfillments.id", "fulfillments.shipped_at"],
                filters: { id: data.order.id },
              })
            ).data[0] as any
          ).fulfillments
        await waitFor(async () => Boolean((await fulfillments())[0]?.shipped_at), 30_000, "shipment applied")
        await waitFor(
          async () => (await tradegecko.listTradegeckoWebhookDeliveries({})).every((d: any) => d.status !== "received"),
          30_000,
          "deliveries handled"
        )
        expect(await fulfillments()).toHaveLength(1)
      })
    },
  })
})
