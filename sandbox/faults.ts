// Fault injection for the control API (POST /__sandbox/faults).
// A rule matches requests by method and path regex; `count` limits it to the
// first n matching requests; `rate` (0..1) picks requests with a seeded PRNG, so
// the same sequence of requests always gets the same faults.
//   "500" / "503"  → error response (no side effects)
//   "429"          → rate-limit response (X-Rate-Limit-Remaining: 0)
//   "hang"         → no response; the connection is dropped after hangMs (default 30 s)
//   "reset"        → connection destroyed at once (ECONNRESET)
//   "delay"        → the request is processed normally after delayMs
import { badRequest } from "./conventions/errors"
import { prng, type Prng } from "./prng"

export const FAULT_MODES = ["500", "503", "429", "hang", "reset", "delay"] as const
export type FaultMode = (typeof FAULT_MODES)[number]

export interface FaultRule {
  id: number
  mode: FaultMode
  rate: number
  count: number | null
  methods: string[] | null
  path: string | null
  hangMs: number
  delayMs: number
  seed: number
  /** Requests that matched method/path. */
  matched: number
  /** Requests that got the fault. */
  applied: number
}

export class Faults {
  private rules: { rule: FaultRule; rand: Prng; re: RegExp | null }[] = []
  private nextId = 1

  add(input: Record<string, unknown>): FaultRule {
    const mode = String(input.mode ?? "") as FaultMode
    if (!FAULT_MODES.includes(mode)) throw badRequest(`mode must be one of ${FAULT_MODES.join(", ")}`)
    const rate = input.rate === undefined ? 1 : Number(input.rate)
    if (!(rate >= 0 && rate <= 1)) throw badRequest("rate must be between 0 and 1")
    const count = input.count === undefined || input.count === null ? null : Number(input.count)
    if (count !== null && !(Number.isInteger(count) && count >= 0))
      throw badRequest("count must be a non-negative integer")
    let re: RegExp | null = null
    if (typeof input.path === "string" && input.path) {
      try {
        re = new RegExp(input.path)
      } catch {
        throw badRequest("path must be a valid regular expression")
      }
    }
    const methods = Array.isArray(input.methods) ? input.methods.map((m) => String(m).toUpperCase()) : null
    const seed = input.seed === undefined ? 1 : Number(input.seed)
    const rule: FaultRule = {
      id: this.nextId++,
      mode,
      rate,
      count,
      methods,
      path: re ? String(input.path) : null,
      hangMs: input.hangMs === undefined ? 30_000 : Number(input.hangMs),
      delayMs: input.delayMs === undefined ? 1_000 : Number(input.delayMs),
      seed,
      matched: 0,
      applied: 0,
    }
    this.rules.push({ rule, rand: prng(seed), re })
    return rule
  }

  clear(): void {
    this.rules = []
  }

  list(): FaultRule[] {
    return this.rules.map((r) => r.rule)
  }

  /** The first rule that fires for this request, if any. */
  match(method: string, path: string): FaultRule | undefined {
    for (const { rule, rand, re } of this.rules) {
      if (rule.methods && !rule.methods.includes(method)) continue
      if (re && !re.test(path)) continue
      if (rule.count !== null && rule.applied >= rule.count) continue
      rule.matched++
      if (rule.rate < 1 && rand() >= rule.rate) continue
      rule.applied++
      return rule
    }
    return undefined
  }
}
