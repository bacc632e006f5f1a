// Idempotency-Key on POST/PUT (spec §2.8, [I] replay semantics):
//   same key + same request  → the stored response is replayed (no second write);
//   same key + different request, or while the first is still running
//                            → 409 {"type":"Conflict","message":"Duplicate Idempotency Key header detected"};
//   keys expire 24 h after first use (sandbox clock).
// Keys are scoped per application × account. 5xx answers are not stored, so a
// retry after a server error runs again.
import { createHash } from "node:crypto"

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

export interface StoredResponse {
  status: number
  body: string
  headers: Record<string, string>
}

interface Entry {
  fingerprint: string
  createdAt: number
  response?: StoredResponse
}

export type Begin = { kind: "new" } | { kind: "replay"; response: StoredResponse } | { kind: "conflict" }

export function fingerprint(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method} ${path}\n${body}`).digest("hex")
}

export class IdempotencyCache {
  private entries = new Map<string, Entry>()

  begin(scope: string, key: string, print: string, now: number): Begin {
    const id = `${scope}:${key}`
    const entry = this.entries.get(id)
    if (entry && now - entry.createdAt < IDEMPOTENCY_TTL_MS) {
      if (!entry.response || entry.fingerprint !== print) return { kind: "conflict" }
      return { kind: "replay", response: entry.response }
    }
    this.entries.set(id, { fingerprint: print, createdAt: now })
    return { kind: "new" }
  }

  complete(scope: string, key: string, response: StoredResponse): void {
    const entry = this.entries.get(`${scope}:${key}`)
    if (!entry) return
    if (response.status >= 500) this.entries.delete(`${scope}:${key}`)
    else entry.response = response
  }

  abort(scope: string, key: string): void {
    const entry = this.entries.get(`${scope}:${key}`)
    if (entry && !entry.response) this.entries.delete(`${scope}:${key}`)
  }

  clear(): void {
    this.entries.clear()
  }

  /** Completed keys (state file): a retry after a restart still replays. */
  dump(): [string, Entry][] {
    return [...this.entries].filter(([, e]) => e.response)
  }

  load(entries: [string, Entry][]): void {
    this.entries = new Map(entries)
  }
}
