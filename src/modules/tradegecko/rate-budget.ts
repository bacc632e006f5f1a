import type { RateBudgetStore } from "./client"

/**
 * The rate-limit budget on Postgres (table tradegecko_rate_window), shared by every server
 * and worker process of the store: one atomic upsert per TradeGecko call. `pg` is Medusa's
 * shared knex connection (`__pg_connection__`).
 */
export class PostgresRateBudgetStore implements RateBudgetStore {
  private lastSweep = 0

  constructor(private readonly pg: { raw(sql: string, bindings?: unknown[]): Promise<{ rows: any[] }> }) {}

  async take(key: string, cap: number, expiresAt: Date): Promise<boolean> {
    if (cap <= 0) return false
    const { rows } = await this.pg.raw(
      `insert into tradegecko_rate_window (id, used, expires_at) values (?, 1, ?)
       on conflict (id) do update set used = tradegecko_rate_window.used + 1, updated_at = now()
       where tradegecko_rate_window.used < ?
       returning used`,
      [key, expiresAt, cap]
    )
    return rows.length > 0
  }

  async read(key: string): Promise<number> {
    const { rows } = await this.pg.raw("select used from tradegecko_rate_window where id = ? and expires_at >= now()", [
      key,
    ])
    return rows[0] ? Number(rows[0].used) : 0
  }

  async raise(key: string, used: number, expiresAt: Date): Promise<void> {
    await this.pg.raw(
      `insert into tradegecko_rate_window (id, used, expires_at) values (?, ?, ?)
       on conflict (id) do update set used = excluded.used, expires_at = greatest(tradegecko_rate_window.expires_at, excluded.expires_at), updated_at = now()
       where tradegecko_rate_window.used < excluded.used`,
      [key, used, expiresAt]
    )
    if (Date.now() - this.lastSweep > 60_000) {
      this.lastSweep = Date.now()
      await this.pg.raw("delete from tradegecko_rate_window where expires_at < now()")
    }
  }
}
