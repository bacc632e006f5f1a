/**
 * Storage of the rate-limit budget: how many calls were started in one TradeGecko
 * rate-limit window. TradeGecko counts per OAuth application × account, whatever the
 * number of processes, so every process talking to one account must count in the same
 * place. The client only sees this interface; the plugin implements it on Postgres
 * (shared by every server and worker process). Without one, a client counts in memory
 * (`MemoryRateBudgetStore`), which is right for a single process only.
 *
 * Keys are `<account key>:<X-Rate-Limit-Reset of the window>`; a key is never reused
 * after its window ended, and can be forgotten after `expiresAt`.
 */
export interface RateBudgetStore {
  /**
   * Atomically: when fewer than `cap` calls were counted under `key`, count one more and
   * resolve true; otherwise resolve false and count nothing.
   */
  take(key: string, cap: number, expiresAt: Date): Promise<boolean>
  /**
   * Atomically raise the count under `key` to at least `used` (what the server says it
   * counted: calls of other processes or apps, calls of probes the store never saw).
   */
  raise(key: string, used: number, expiresAt: Date): Promise<void>
  /** The count under `key` (0 when unknown). */
  read(key: string): Promise<number>
}

/** In-process store (one process; also what a client uses when none is given). */
export class MemoryRateBudgetStore implements RateBudgetStore {
  private readonly counts = new Map<string, { used: number; expiresAt: number }>()

  async take(key: string, cap: number, expiresAt: Date): Promise<boolean> {
    this.sweep()
    const entry = this.counts.get(key) ?? { used: 0, expiresAt: expiresAt.getTime() }
    if (entry.used >= cap) return false
    entry.used++
    this.counts.set(key, entry)
    return true
  }

  async raise(key: string, used: number, expiresAt: Date): Promise<void> {
    const entry = this.counts.get(key) ?? { used: 0, expiresAt: expiresAt.getTime() }
    if (used > entry.used) {
      entry.used = used
      entry.expiresAt = Math.max(entry.expiresAt, expiresAt.getTime())
    }
    this.counts.set(key, entry)
  }

  async read(key: string): Promise<number> {
    const entry = this.counts.get(key)
    return entry && entry.expiresAt >= Date.now() ? entry.used : 0
  }

  private sweep() {
    if (this.counts.size < 16) return
    const now = Date.now()
    for (const [k, v] of this.counts) if (v.expiresAt < now) this.counts.delete(k)
  }
}
