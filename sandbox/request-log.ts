// Log of API requests for GET /__sandbox/requests (control requests excluded).
// Paths are normalised so tests can count calls per endpoint:
//   /products/12 → /products/:id, /orders/5/actions/pack → /orders/:id/actions/pack,
//   /price_lists/retail → /price_lists/:id.

export interface LogEntry {
  method: string
  /** Normalised path, e.g. /products/:id */
  path: string
  /** Path and query as received. */
  url: string
  /** HTTP status; 0 when the connection was dropped; null while in flight. */
  status: number | null
  at: string
  idempotencyKey: string | null
  durationMs: number | null
}

const STRING_IDS = new Set(["retail", "wholesale", "buy"])

export function normalizePath(path: string): string {
  return path
    .split("/")
    .map((seg, i, all) => (/^\d+$/.test(seg) || (all[i - 1] === "price_lists" && STRING_IDS.has(seg)) ? ":id" : seg))
    .join("/")
}

export class RequestLog {
  private entries: LogEntry[] = []
  private counts: Record<string, number> = {}

  start(method: string, path: string, url: string, idempotencyKey: string | null, now: number): LogEntry {
    const entry: LogEntry = {
      method,
      path: normalizePath(path),
      url,
      status: null,
      at: new Date(now).toISOString(),
      idempotencyKey,
      durationMs: null,
    }
    this.entries.push(entry)
    const key = `${method} ${entry.path}`
    this.counts[key] = (this.counts[key] ?? 0) + 1
    return entry
  }

  clear(): void {
    this.entries = []
    this.counts = {}
  }

  snapshot() {
    return { total: this.entries.length, counts: { ...this.counts }, entries: [...this.entries] }
  }
}
