// --state-file: the sandbox's state as one JSON file, so a restarted sandbox
// serves the same records, accepts the same OAuth tokens, replays the same
// idempotency keys and still retries the webhooks it had scheduled.
//
// Saved: every table and id sequence, the clock offset, OAuth codes/tokens,
// completed idempotency keys, scheduled webhook attempts, the seed options.
// Not saved: the request log, delivery attempt log, faults, down switch and
// rate-limit counters (test instruments, not TradeGecko data).
// Writes are atomic (temp file + rename) and coalesced: at most one write per
// SAVE_DELAY_MS after a change, plus a final one on close.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs"
import { dirname } from "node:path"
import type { Sandbox } from "./server"
import type { SeedOptions } from "./types"

export const STATE_VERSION = 1
const SAVE_DELAY_MS = 50

export interface StateFile {
  version: number
  savedAt: string
  seed: Required<SeedOptions> | false
  clockOffsetMs: number
  store: ReturnType<Sandbox["store"]["dump"]>
  oauth: ReturnType<Sandbox["oauth"]["dump"]>
  idempotency: ReturnType<Sandbox["idempotency"]["dump"]>
  webhooks: ReturnType<Sandbox["webhooks"]["dump"]>
}

export class Persistence {
  private timer: NodeJS.Timeout | undefined
  private paused = false

  constructor(
    private readonly sb: Sandbox,
    readonly path: string
  ) {}

  /** Loads the file into the sandbox; false when there is none. Throws on a broken or foreign file. */
  load(): boolean {
    if (!existsSync(this.path)) return false
    let state: StateFile
    try {
      state = JSON.parse(readFileSync(this.path, "utf8"))
    } catch (e) {
      throw new Error(
        `sandbox state file ${this.path} is not valid JSON (${(e as Error).message}); delete it or start with --reset`
      )
    }
    if (state?.version !== STATE_VERSION || !state.store?.tables)
      throw new Error(
        `sandbox state file ${this.path} has an unknown format (version ${state?.version}); delete it or start with --reset`
      )
    this.paused = true
    try {
      this.sb.store.load(state.store)
      this.sb.clock.offsetMs = state.clockOffsetMs ?? 0
      this.sb.oauth.load(state.oauth)
      this.sb.idempotency.load(state.idempotency ?? [])
      this.sb.webhooks.load(state.webhooks ?? [])
      this.sb.loadedSeed = state.seed
    } finally {
      this.paused = false
    }
    return true
  }

  /** A change happened: save soon. */
  schedule(): void {
    if (this.paused || this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.save()
    }, SAVE_DELAY_MS)
    this.timer.unref?.()
  }

  save(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    const state: StateFile = {
      version: STATE_VERSION,
      savedAt: new Date().toISOString(),
      seed: this.sb.loadedSeed,
      clockOffsetMs: this.sb.clock.offsetMs,
      store: this.sb.store.dump(),
      oauth: this.sb.oauth.dump(),
      idempotency: this.sb.idempotency.dump(),
      webhooks: this.sb.webhooks.dump(),
    }
    mkdirSync(dirname(this.path), { recursive: true })
    const tmp = `${this.path}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(state))
    renameSync(tmp, this.path)
  }
}
