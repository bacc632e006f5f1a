import v8 from "node:v8"
import { forcedCollections, HeapHeadroom } from "../heap-headroom"

const usedMiB = () => v8.getHeapStatistics().used_heap_size / 1048576
/** Collections forced since `from` (the process-wide tally the bench reports). */
const forcedSince = (from: number) => forcedCollections.count - from

/** ~`mib` MiB of small objects on the JS heap, alive while the returned array is. */
function allocate(mib: number) {
  const out: number[][] = []
  for (let i = 0; i < mib * 1024; i++) out.push(Array.from({ length: 120 }, (_, j) => i + j + 0.5))
  return out
}

describe("HeapHeadroom: a full collection whenever the heap grew past the headroom", () => {
  it("collects once the heap grew past the headroom: the garbage is gone", () => {
    const from = forcedCollections.count
    const heap = new HeapHeadroom(16)
    let batch: number[][] | null = allocate(48)
    const grown = usedMiB()
    expect(batch.length).toBe(48 * 1024)
    batch = null // what a written batch leaves: garbage
    heap.check()
    expect(forcedSince(from)).toBe(1)
    expect(usedMiB()).toBeLessThan(grown - 32)
    // the base is now the heap right after that collection: a little more is within the headroom
    allocate(4)
    heap.check()
    expect(forcedSince(from)).toBe(1)
  })

  it("does not collect while the heap stays within the headroom", () => {
    const from = forcedCollections.count
    const heap = new HeapHeadroom(256)
    allocate(8)
    heap.check()
    expect(forcedSince(from)).toBe(0)
  })

  it("0 leaves collection to V8", () => {
    const from = forcedCollections.count
    const heap = new HeapHeadroom(0)
    allocate(48)
    heap.check()
    expect(forcedSince(from)).toBe(0)
  })

  it("checks on a timer while started (a batch being written), and not after stop()", async () => {
    const from = forcedCollections.count
    const heap = new HeapHeadroom(16).start(5)
    const batch = allocate(96) // more than the earlier tests left as garbage
    await new Promise((r) => setTimeout(r, 50))
    heap.stop()
    expect(forcedSince(from)).toBeGreaterThanOrEqual(1)
    const n = forcedSince(from)
    const next = allocate(48)
    await new Promise((r) => setTimeout(r, 50))
    expect(forcedSince(from)).toBe(n)
    expect(batch.length + next.length).toBe(144 * 1024)
  })
})
