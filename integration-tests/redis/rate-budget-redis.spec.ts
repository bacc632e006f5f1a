import { redisRateBudgetStore } from "../../src/modules/tradegecko/rate-budget-redis"
import { describeWithRedis, REDIS_URL } from "../helpers/redis"

/**
 * The rate-limit budget in Redis (plugin option redisUrl): two stores on two connections
 * stand for two processes counting against one TradeGecko account.
 */
describeWithRedis("Rate limit: the budget in Redis shared by processes", () => {
  const prefix = `tradegecko:rate:test-${process.pid}-${Date.now()}:`
  const server = redisRateBudgetStore(REDIS_URL)
  const worker = redisRateBudgetStore(REDIS_URL)
  afterAll(async () => {
    await server.close()
    await worker.close()
  })

  it("two processes taking 80 calls at once under a cap of 30 get exactly 30, and both read 30", async () => {
    const key = `${prefix}window-a`
    const expiresAt = new Date(Date.now() + 60_000)
    const taken = await Promise.all(
      Array.from({ length: 80 }, (_, i) => (i % 2 ? server : worker).take(key, 30, expiresAt))
    )
    expect(taken.filter(Boolean)).toHaveLength(30)
    expect(await server.read(key)).toBe(30)
    expect(await worker.read(key)).toBe(30)
  })

  it("raise only ever raises (what TradeGecko says it counted), and a raised window refuses further takes", async () => {
    const key = `${prefix}window-b`
    const expiresAt = new Date(Date.now() + 60_000)
    expect(await server.take(key, 50, expiresAt)).toBe(true)
    await worker.raise(key, 49, expiresAt)
    await worker.raise(key, 10, expiresAt)
    expect(await server.read(key)).toBe(49)
    expect(await server.take(key, 50, expiresAt)).toBe(true)
    expect(await worker.take(key, 50, expiresAt)).toBe(false)
    expect(await server.take(key, 0, expiresAt)).toBe(false)
  })

  it("a window is forgotten when TradeGecko's window ends", async () => {
    const key = `${prefix}window-c`
    expect(await server.take(key, 5, new Date(Date.now() + 300))).toBe(true)
    expect(await worker.read(key)).toBe(1)
    await new Promise((r) => setTimeout(r, 700))
    expect(await worker.read(key)).toBe(0)
  })
})
