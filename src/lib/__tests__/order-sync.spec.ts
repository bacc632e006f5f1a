import { isDefiniteRejection, orderPushIdempotencyKey, orderSyncAllows, placedBeforeOrderSyncFrom } from "../order-sync"

describe("Orders: sync policy", () => {
  it("orderSyncLevel: off allows nothing, push only the push, push_and_status both", () => {
    const table = (["off", "push", "push_and_status"] as const).map((level) => [
      level,
      orderSyncAllows(level, "push"),
      orderSyncAllows(level, "status"),
    ])
    expect(table).toEqual([
      ["off", false, false],
      ["push", true, false],
      ["push_and_status", true, true],
    ])
  })

  it("orderSyncFrom: an order is left out only when placed strictly before it", () => {
    expect(placedBeforeOrderSyncFrom("2026-01-01T00:00:00Z", "2026-01-02")).toBe(true)
    expect(placedBeforeOrderSyncFrom("2026-01-02T00:00:00Z", "2026-01-02")).toBe(false)
    expect(placedBeforeOrderSyncFrom("2026-01-03T00:00:00Z", "2026-01-02")).toBe(false)
    expect(placedBeforeOrderSyncFrom("2020-01-01T00:00:00Z", undefined)).toBe(false)
  })

  it("Idempotency-Key: attempts share the first key; a new generation is a new key", () => {
    expect(orderPushIdempotencyKey("order_1")).toBe("medusa-order-order_1")
    expect(orderPushIdempotencyKey("order_1", 1)).toBe("medusa-order-order_1")
    expect(orderPushIdempotencyKey("order_1", 3)).toBe("medusa-order-order_1-3")
  })

  it("a definite rejection is a 4xx other than 408, 409 and 429", () => {
    expect([400, 404, 408, 409, 422, 429, 500, null].map((s) => isDefiniteRejection(s))).toEqual([
      true,
      true,
      false,
      false,
      true,
      false,
      false,
      false,
    ])
  })
})
