import axios from "axios"
import { startSandbox, type SandboxHandle } from "../../sandbox"
import { storefront } from "../helpers/checkout"
import { startCluster, type Cluster } from "../helpers/cluster"
import { placeOrder } from "../helpers/orders"
import { describeWithRedis, REDIS_URL } from "../helpers/redis"

jest.setTimeout(900_000)

/**
 * kill -9 of the worker in the middle of a full catalog import and in the middle of order
 * pushes (server + worker on Postgres and Redis, as in production). After a new worker
 * starts, the import is taken over and finishes without duplicate products, and every
 * order ends up in TradeGecko exactly once.
 */
const SEED = { products: 400, variantsPerProduct: 3, seed: 5 }

async function until<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 240_000,
  everyMs = 200
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const v = await fn()
    if (v) return v
    await new Promise((r) => setTimeout(r, everyMs))
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s`)
}

describeWithRedis("Crash recovery: a worker killed (kill -9) mid-import and mid-push", () => {
  let sandbox: SandboxHandle
  let cluster: Cluster
  const redisUrl = `${REDIS_URL.replace(/\/\d*$/, "")}/8`
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${sandbox.url}/__sandbox${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((r) => r.json())

  beforeAll(async () => {
    const Redis = require("ioredis")
    const redis = new Redis(redisUrl)
    await redis.flushdb()
    await redis.quit()
    sandbox = await startSandbox({ port: 0, seed: SEED })
    cluster = await startCluster({
      redisUrl,
      env: {
        TRADEGECKO_BASE_URL: sandbox.url,
        TRADEGECKO_SYNC_SCHEDULE: "*/2 * * * * *",
        TRADEGECKO_ORDER_RECONCILE_SCHEDULE: "off",
        TRADEGECKO_JOB_TICK_SECONDS: "1",
        // compressed for the test: a run missing 4 beats of 2 s is dead; a push stuck 5 s was interrupted
        TRADEGECKO_HEARTBEAT_SECONDS: "2",
        TRADEGECKO_STALE_PUSH_SECONDS: "5",
      },
    })
  })

  afterAll(async () => {
    await cluster?.stop()
    await sandbox?.close()
  })

  it("a full import killed half-way is taken over and finishes without duplicate products; pushes killed in flight finish without duplicate orders", async () => {
    const seeded = await cluster.exec("./integration-tests/redis/cluster/seed-store.ts", { SEED_IMPORT: "false" })
    const server = await cluster.start("server", "server", 9311)
    const worker1 = await cluster.start("worker-1", "worker", 9312)

    // 1. the first scheduled tick starts the full import on the worker; kill it half-way
    const midway = await until(
      "import half-way",
      async () => {
        const [run] = await cluster.query(
          "select id, processed, total from tradegecko_sync_run where kind = 'catalog' and status = 'running'"
        )
        return run && run.total && run.processed > 0 && run.processed < run.total * 0.7 ? run : null
      },
      240_000,
      100
    )
    await worker1.crash()
    const [{ n: productsAtCrash }] = await cluster.query(
      "select count(*)::int as n from product where deleted_at is null"
    )
    expect(productsAtCrash).toBeGreaterThan(0)

    const worker2 = await cluster.start("worker-2", "worker", 9313)
    const finished = await until("import taken over and finished", async () => {
      const [run] = await cluster.query(
        "select id, counts from tradegecko_sync_run where kind = 'catalog' and status = 'succeeded' and id <> $1 order by started_at limit 1",
        [midway.id]
      )
      return run
    })
    const [crashed] = await cluster.query("select status, error from tradegecko_sync_run where id = $1", [midway.id])
    expect(crashed.status).toBe("failed")
    expect(crashed.error).toMatch(/abandoned: no heartbeat/)

    const [{ n: products }] = await cluster.query("select count(*)::int as n from product where deleted_at is null")
    const [{ n: links, tg: distinctTg, medusa: distinctMedusa }] = await cluster.query(
      "select count(*)::int as n, count(distinct tradegecko_product_id)::int as tg, count(distinct product_id)::int as medusa from tradegecko_product_link where deleted_at is null"
    )
    expect(products).toBeGreaterThan(productsAtCrash)
    expect(links).toBe(products) // every Medusa product is one linked TradeGecko product...
    expect(distinctTg).toBe(links) // ...and no TradeGecko product was created twice
    expect(distinctMedusa).toBe(links)
    const dupSkus = await cluster.query(
      "select sku, count(*) from product_variant where deleted_at is null and sku is not null group by sku having count(*) > 1"
    )
    expect(dupSkus).toEqual([])
    // the run that finished the job met the products of the killed one and created only the rest
    expect(Number(finished.counts.created ?? 0)).toBeLessThan(products)

    // 2. orders whose pushes are in flight (TradeGecko answering slowly) when the worker dies
    const api = axios.create({ baseURL: `http://127.0.0.1:${server.port}`, validateStatus: () => true })
    const shop = storefront(api, seeded.publishableKey)
    const variants = await cluster.query(
      "select variant_id from tradegecko_variant_link where deleted_at is null order by tradegecko_variant_id limit 40"
    )
    await control("POST", "/faults", { mode: "delay", delayMs: 4000, path: "^/orders$", methods: ["POST"] })
    const orders: any[] = []
    for (let i = 0; i < 5; i++) {
      orders.push(
        await placeOrder(
          shop,
          seeded.regionId,
          [{ variant_id: variants[10 + i].variant_id, quantity: 1 }],
          `crash${i}@example.com`
        )
      )
    }
    await until(
      "pushes in flight",
      async () => {
        const [{ n }] = await cluster.query(
          "select count(*)::int as n from tradegecko_order_link where status = 'pushing'"
        )
        return n > 0
      },
      60_000,
      50
    )
    await worker2.crash()
    await control("DELETE", "/faults")
    await cluster.start("worker-3", "worker", 9314)
    await until("every order pushed", async () => {
      const [{ n }] = await cluster.query(
        "select count(*)::int as n from tradegecko_order_link where status = 'pushed' and deleted_at is null"
      )
      return n >= orders.length
    })
    await cluster.stopInstances()

    const res = await fetch(`${sandbox.url}/orders?limit=250`, {
      headers: { authorization: `Bearer ${sandbox.credentials.privilegedToken}` },
    })
    const tgOrders = ((await res.json()) as any).orders as Array<{ reference_number: string }>
    for (const order of orders) {
      expect(tgOrders.filter((o) => o.reference_number === `#${order.display_id}`)).toHaveLength(1)
    }
    const links2 = await cluster.query("select status from tradegecko_order_link where deleted_at is null")
    expect(links2).toHaveLength(orders.length)
  })
})
