import { decodeTime } from "ulid"
import { newEntityId } from "../entity-ids"

describe("newEntityId: Medusa-shaped ids for rows written in bulk", () => {
  it("is the prefix and a 26-character Crockford ULID whose time part is the time given", () => {
    const at = Date.UTC(2026, 11, 1, 22, 30, 0, 123)
    const id = newEntityId("pvps", at)
    expect(id).toMatch(/^pvps_[0-9A-HJKMNP-TV-Z]{26}$/)
    // read back with the ulid package Medusa itself generates ids with
    expect(decodeTime(id.slice("pvps_".length))).toBe(at)
  })

  it("ids sort by time and do not repeat (past one pool of random bytes)", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => newEntityId("x", 1_800_000_000_000 + Math.floor(i / 10)))
    expect(new Set(ids).size).toBe(ids.length)
    const sorted = [...ids].sort()
    // same millisecond: random order; across milliseconds: time order
    for (let i = 10; i < ids.length; i += 10) expect(sorted.indexOf(ids[i])).toBeGreaterThan(sorted.indexOf(ids[i - 1]))
  })

  it("uses every character of the random part", () => {
    const chars = new Set(
      Array.from({ length: 2000 }, () => newEntityId("x").slice(12))
        .join("")
        .split("")
    )
    expect(chars.size).toBe(32)
  })
})
