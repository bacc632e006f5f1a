import axios from "axios"
import { startSandbox, type SandboxHandle } from "../../sandbox"
import { webhookSignature } from "../../sandbox"
import { storefront } from "../helpers/checkout"
import { startCluster, type Cluster } from "../helpers/cluster"
import { describeWithRedis, REDIS_URL } from "../helpers/redis"

jest.setTimeout(900_000)

/**
 * Production shape: a `medusa start` server and a worker (MEDUSA_WORKER_MODE) on one
 * Postgres and one Redis, one TradeGecko account, its limit shrunk to 3 calls per 30 s
 * window. A stock webhook makes the worker run a catalog sync of that variant's product:
 * 4 calls (the variant, its product, then the product's variants and images). While it runs, a shopper completes a cart
 * on the server whose stock must be re-read. The checkout's call must get through at once
 * (not a 429 and a wait for the reset).
 */
const LIMIT = 3
const WINDOW = 30

interface LogEntry {
  method: string
  path: string
  url: string
  status: number | null
}

describeWithRedis("Rate limit: one budget for the account across server and worker", () => {
  let sandbox: SandboxHandle
  let cluster: Cluster
  // this suite's own Redis database (the other suites use 7 and 8)
  const redisUrl = `${REDIS_URL.replace(/\/\d*$/, "")}/12`

  beforeAll(async () => {
    const Redis = require("ioredis")
    const redis = new Redis(redisUrl)
    await redis.flushdb() // BullMQ queues of an earlier run of this suite
    await redis.quit()
    sandbox = await startSandbox({
      port: 0,
      seed: { products: 6, variantsPerProduct: 2, seed: 3 },
      rateLimit: { limit: 100_000, windowSeconds: WINDOW },
    })
    cluster = await startCluster({
      redisUrl,
      env: {
        TRADEGECKO_BASE_URL: sandbox.url,
        TRADEGECKO_SYNC_SCHEDULE: "off",
        TRADEGECKO_ORDER_RECONCILE_SCHEDULE: "off",
      },
    })
  })

  afterAll(async () => {
    await cluster?.stop()
    await sandbox?.close()
  })

  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${sandbox.url}/__sandbox${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`sandbox ${method} ${path} → ${res.status}: ${text}`)
    return text ? JSON.parse(text) : null
  }
  const entries = async (): Promise<LogEntry[]> => (await control("GET", "/requests")).entries
  /** The checkout's stock check of the cart's variant (the worker's sync reads variant 200005). */
  const checkoutCalls = (log: LogEntry[]) => log.filter((e) => e.path === "/variants" && e.url.includes("ids[]=200002"))
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

  it("a catalog run on the worker drains the window; a checkout on the server in parallel still gets its call through, answered 200, and no call gets a 429", async () => {
    const seeded = await cluster.exec("./integration-tests/redis/cluster/seed-store.ts")
    const server = await cluster.start("server", "server", 9311)
    await cluster.start("worker", "worker", 9312)
    const api = axios.create({ baseURL: `http://127.0.0.1:${server.port}`, validateStatus: () => true })
    const shop = storefront(api, seeded.publishableKey)
    const [{ variant_id: variantId }] = await cluster.query(
      "select variant_id from tradegecko_variant_link where tradegecko_variant_id = 200002 and deleted_at is null"
    )

    const cart = await shop.cart(seeded.regionId, [{ variant_id: variantId, quantity: 1 }])
    await shop.enterCheckout(cart)
    await shop.shipAndPay(cart)
    const catalogRuns = async () =>
      await cluster.query(
        "select id, status, trigger from tradegecko_sync_run where kind in ('catalog', 'product') and deleted_at is null"
      )
    const done = new Set((await catalogRuns()).map((r) => r.id))

    // The small limit starts at a window boundary (the plugin learns it the way it does at any reset).
    const toBoundary = () => (WINDOW - ((Date.now() / 1000) % WINDOW)) * 1000
    if (toBoundary() < 3000) await sleep(toBoundary() + 500)
    await sleep(toBoundary() - 1500)
    await control("POST", "/rate-limit", { limit: LIMIT, windowSeconds: WINDOW })
    await control("DELETE", "/requests")
    await sleep(toBoundary() + 1500)

    // TradeGecko tells the store another variant's stock changed; the worker syncs its product.
    const body = JSON.stringify({
      object_id: 200005,
      event: "variant.stock_level_update",
      timestamp: Math.floor(Date.now() / 1000),
      resource_url: `${sandbox.url}/variants/200005.json`,
    })
    const hook = await api.post("/hooks/tradegecko", body, {
      headers: {
        "content-type": "application/json",
        "x-gecko-signature": webhookSignature(sandbox.credentials.clientSecret, body),
        "x-gecko-delivery": "rl-1",
      },
    })
    expect(hook.status).toBe(200)
    // it takes what background work may of this window, then waits for the reset
    const deadline = Date.now() + 20_000
    while ((await entries()).length < LIMIT - 1 && Date.now() < deadline) await sleep(100)
    await sleep(3000)
    const beforeCheckout = await entries()
    const running = (await catalogRuns()).filter((r) => !done.has(r.id))
    expect(running).toHaveLength(1)
    expect(running[0]).toMatchObject({ trigger: "webhook", status: "running" })

    // The shopper's cart is stale (stock read 10 minutes ago): completion re-reads it.
    await cluster.query(
      "update tradegecko_variant_link set stock_synced_at = now() - interval '10 minutes' where variant_id = $1",
      [variantId]
    )
    const res = await shop.complete(cart)
    expect(res.status).toBe(200)
    expect(res.data.type).toBe("order")
    // the shared budget of this window, in the Redis both processes use (option redisUrl): the
    // worker's calls and the checkout's are counted under one key
    const Redis = require("ioredis")
    const redis = new Redis(redisUrl)
    const windowKeys = await redis.keys("tradegecko:rate:*")
    const counted = await Promise.all(windowKeys.map(async (k: string) => Number(await redis.get(k))))
    await redis.quit()
    expect(Math.max(0, ...counted)).toBeGreaterThanOrEqual(2)

    const log = await entries()
    expect(checkoutCalls(beforeCheckout)).toHaveLength(0)
    expect(beforeCheckout.length).toBeLessThan(LIMIT) // the worker left the checkout its share
    expect(checkoutCalls(log).map((e) => e.status)).toEqual([200]) // one call, answered: no 429, no wait
    expect(log.filter((e) => e.status === 429)).toHaveLength(0)
    // read, not "allowed on last known stock"
    expect(
      await cluster.query("select id from tradegecko_sync_run where trigger = 'checkout' and deleted_at is null")
    ).toHaveLength(0)

    // the worker's run completes after the reset, still without a 429
    const finish = Date.now() + 90_000
    let run: any
    while (Date.now() < finish) {
      ;[run] = await cluster.query("select status, error from tradegecko_sync_run where id = $1", [running[0].id])
      if (run.status !== "running") break
      await sleep(500)
    }
    expect(run).toMatchObject({ status: "succeeded" })
    const after = await entries()
    expect(after.filter((e) => e.status === 429)).toHaveLength(0)
    expect(
      after.filter((e) => e.path === "/products/:id" || (e.path === "/products" && e.url.includes("ids"))).length
    ).toBeGreaterThanOrEqual(1)
  })
})
