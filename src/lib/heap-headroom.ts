import v8 from "node:v8"
import vm from "node:vm"

/**
 * Keeps a long import's garbage from piling up: V8, with Node's default heap limit on a
 * machine with a few GB, lets the heap grow to ~4 × its live set before a full collection,
 * so a worker importing 100,000 variants peaked at ~2.9 × its idle RSS while what the
 * import kept alive stayed within ~15 MiB of idle (docs/benchmarks.md). While an import
 * runs (checked every 100 ms), a full collection runs whenever the heap has grown by more
 * than `headroomMiB` since the last one: the plugin option `importHeapHeadroomMb`, 0 = never.
 * Each costs 120–190 ms at an idle Medusa's heap; 100,000 variants took 59 (3.3 % of the import).
 */
export class HeapHeadroom {
  private base = heapUsed()
  private timer?: NodeJS.Timeout

  constructor(private readonly headroomMiB: number) {}

  /** Checks every `everyMs` while the import runs (its awaits let the timer in). */
  start(everyMs = 100) {
    if (this.headroomMiB > 0) this.timer = setInterval(() => this.check(), everyMs).unref()
    return this
  }

  stop() {
    clearInterval(this.timer)
  }

  /** A full collection if the heap grew past the headroom. */
  check() {
    if (!(this.headroomMiB > 0)) return
    if (heapUsed() - this.base <= this.headroomMiB * 1048576) return
    const collect = fullCollection()
    if (!collect) return
    const t = performance.now()
    collect()
    forcedCollections.count++
    forcedCollections.ms += performance.now() - t
    this.base = heapUsed()
  }
}

/** Every collection this process's imports forced, and their time (what `npm run bench` reports). */
export const forcedCollections = { count: 0, ms: 0 }

const heapUsed = () => v8.getHeapStatistics().used_heap_size

let gcFunction: (() => void) | undefined | null = null

/**
 * Node's `gc()`: the global one if the process runs with --expose-gc, otherwise taken from a
 * new context with the flag set for that moment only (the process's own globals unchanged).
 */
function fullCollection(): (() => void) | undefined {
  if (gcFunction !== null) return gcFunction
  gcFunction = typeof (globalThis as any).gc === "function" ? (globalThis as any).gc : undefined
  if (!gcFunction) {
    try {
      v8.setFlagsFromString("--expose-gc")
      gcFunction = vm.runInNewContext("gc") as () => void
    } catch {
      gcFunction = undefined
    } finally {
      v8.setFlagsFromString("--no-expose-gc")
    }
  }
  return gcFunction
}
