import type { RateBudgetStore } from "./client"

/** The part of an ioredis client this store uses. */
export interface RedisLike {
  eval(script: string, numKeys: number, ...args: Array<string | number>): Promise<unknown>
  get(key: string): Promise<string | null>
  quit(): Promise<unknown>
}

// take: count one more call under KEYS[1] when fewer than ARGV[1] were counted; the key
// expires at ARGV[2] (ms since epoch, the end of TradeGecko's window). Atomic in Redis.
const TAKE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return 1`

// raise: the count under KEYS[1] becomes at least ARGV[1] (what the server says it counted).
const RAISE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > used then
  redis.call('SET', KEYS[1], ARGV[1])
  redis.call('PEXPIREAT', KEYS[1], ARGV[2])
end
return 1`

/**
 * The rate-limit budget in Redis (plugin option `redisUrl`), shared by every server and worker
 * process: one Lua call per TradeGecko call, keys expiring with TradeGecko's window. The
 * Postgres store (rate-budget.ts) is used when no Redis is configured.
 */
export class RedisRateBudgetStore implements RateBudgetStore {
  private client: RedisLike | null = null

  /** `connect` makes the client on first use (no connection is opened at boot, e.g. by db:migrate). */
  constructor(
    private readonly connect: () => RedisLike,
    private readonly prefix = "tradegecko:rate:"
  ) {}

  private redis(): RedisLike {
    this.client ??= this.connect()
    return this.client
  }

  async take(key: string, cap: number, expiresAt: Date): Promise<boolean> {
    if (cap <= 0) return false
    return Number(await this.redis().eval(TAKE, 1, this.prefix + key, cap, expiresAt.getTime())) === 1
  }

  async raise(key: string, used: number, expiresAt: Date): Promise<void> {
    await this.redis().eval(RAISE, 1, this.prefix + key, used, expiresAt.getTime())
  }

  async read(key: string): Promise<number> {
    return Number((await this.redis().get(this.prefix + key)) ?? 0)
  }

  async close(): Promise<void> {
    await this.client?.quit().catch(() => undefined)
    this.client = null
  }
}

/** A store on ioredis (Medusa's own Redis client, present wherever Medusa's Redis modules are). */
export function redisRateBudgetStore(redisUrl: string): RedisRateBudgetStore {
  return new RedisRateBudgetStore(() => {
    const Redis = require("ioredis")
    const Ctor = Redis.default ?? Redis
    return new Ctor(redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false })
  })
}
