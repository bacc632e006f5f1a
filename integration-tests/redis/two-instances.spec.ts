import axios from "axios"
import { startSandbox, type SandboxHandle } from "../../sandbox"
import { storefront } from "../helpers/checkout"
import { startCluster, type Cluster } from "../helpers/cluster"
import { placeOrder } from "../helpers/orders"
import { describeWithRedis, REDIS_URL } from "../helpers/redis"

jest.setTimeout(900_000)

/**
 * Production shape: one `medusa start` server and two workers (MEDUSA_WORKER_MODE) on one
 * Postgres and one Redis. The catalog schedule is compressed to every 3 seconds (the
 * plugin's jobs wake every second) for at least 20 ticks while shoppers place orders on
 * the server: every tick must run exactly once across the instances (one job-tick row and
 * one scheduled sync run each), and every order must exist exactly once in TradeGecko.
 */
const TICK_SECONDS = 3
const MIN_TICKS = 20

describeWithRedis("Scheduled work on Redis: two instances (server + workers) run each tick and push once", () => {
  let sandbox: SandboxHandle
  let cluster: Cluster
  const redisUrl = `${REDIS_URL.replace(/\/\d*$/, "")}/7`

  beforeAll(async () => {
    const Redis = require("ioredis")
    const redis = new Redis(redisUrl)
    await redis.flushdb() // BullMQ queues of an earlier run
    await redis.quit()
    sandbox = await startSandbox({ port: 0, seed: { products: 12, variantsPerProduct: 2, seed: 3 } })
    cluster = await startCluster({
      redisUrl,
      env: {
        TRADEGECKO_BASE_URL: sandbox.url,
        TRADEGECKO_SYNC_SCHEDULE: `*/${TICK_SECONDS} * * * * *`,
        TRADEGECKO_ORDER_RECONCILE_SCHEDULE: "off",
        TRADEGECKO_JOB_TICK_SECONDS: "1",
      },
    })
  })

  afterAll(async () => {
    await cluster?.stop()
    await sandbox?.close()
  })

  it(`runs each of ${MIN_TICKS}+ compressed catalog ticks exactly once and pushes every order exactly once`, async () => {
    const seeded = await cluster.exec("./integration-tests/redis/cluster/seed-store.ts")
    const server = await cluster.start("server", "server", 9301)
    await cluster.start("worker-1", "worker", 9302)
    await cluster.start("worker-2", "worker", 9303)

    const api = axios.create({ baseURL: `http://127.0.0.1:${server.port}`, validateStatus: () => true })
    const shop = storefront(api, seeded.publishableKey)
    const [{ variant_id: variantId }] = await cluster.query(
      "select variant_id from tradegecko_variant_link where tradegecko_variant_id = 200001 and deleted_at is null"
    )

    const ticksSoFar = async () =>
      Number(
        (await cluster.query("select count(*)::int as n from tradegecko_job_tick where job = 'catalog-sync'"))[0].n
      )
    const orders: any[] = []
    while ((await ticksSoFar()) < MIN_TICKS) {
      orders.push(
        await placeOrder(
          shop,
          seeded.regionId,
          [{ variant_id: variantId, quantity: 1 }],
          `shopper${orders.length % 4}@example.com`
        )
      )
      await new Promise((r) => setTimeout(r, 1500))
    }
    // let the last pushes and the tick in flight finish, then stop every instance
    const deadline = Date.now() + 60_000
    while (Date.now() < deadline) {
      const [{ n }] = await cluster.query(
        "select count(*)::int as n from tradegecko_order_link where status = 'pushed' and deleted_at is null"
      )
      if (n >= orders.length) break
      await new Promise((r) => setTimeout(r, 500))
    }
    await new Promise((r) => setTimeout(r, TICK_SECONDS * 1000))
    await cluster.stopInstances()

    // every tick: claimed once, by one instance, and one scheduled run started for it
    const ticks = await cluster.query(
      "select tick_at, claimed_by from tradegecko_job_tick where job = 'catalog-sync' order by tick_at"
    )
    expect(ticks.length).toBeGreaterThanOrEqual(MIN_TICKS)
    expect(new Set(ticks.map((t) => new Date(t.tick_at).toISOString())).size).toBe(ticks.length)
    for (let i = 1; i < ticks.length; i++) {
      expect(
        (new Date(ticks[i].tick_at).getTime() - new Date(ticks[i - 1].tick_at).getTime()) % (TICK_SECONDS * 1000)
      ).toBe(0)
    }
    const runs = await cluster.query(
      "select status from tradegecko_sync_run where kind = 'catalog' and trigger = 'schedule' and deleted_at is null"
    )
    expect(runs).toHaveLength(ticks.length)
    expect(runs.every((r) => r.status === "succeeded")).toBe(true)

    // every order: pushed once, one TradeGecko order per reference
    const links = await cluster.query("select order_id, status from tradegecko_order_link where deleted_at is null")
    expect(links).toHaveLength(orders.length)
    expect(links.every((l) => l.status === "pushed")).toBe(true)
    const res = await fetch(`${sandbox.url}/orders?limit=250`, {
      headers: { authorization: `Bearer ${sandbox.credentials.privilegedToken}` },
    })
    const tgOrders = ((await res.json()) as any).orders as Array<{ reference_number: string }>
    for (const order of orders) {
      expect(tgOrders.filter((o) => o.reference_number === `#${order.display_id}`)).toHaveLength(1)
    }
    expect(tgOrders).toHaveLength(orders.length)
  })
})
