import { parseOptions } from "../../../../modules/tradegecko/options"
import { describeRunItem } from "../helpers"
import { describeOptions, describeSchedule } from "../settings/describe"

describe("Admin settings page: in words", () => {
  describe("settings page: options in words", () => {
    it.each([
      ["0 * * * *", "every hour"],
      ["*/5 * * * *", "every 5 minutes"],
      ["* * * * *", "every minute"],
      ["30 * * * *", "every hour at minute 30"],
      ["0 3 * * *", "every day at 03:00"],
      ["15 6 * * 1", "every Monday at 06:15"],
      ["0 */6 * * *", "every 6 hours"],
      ["*/20 * * * * *", "every 20 seconds"],
      ["off", "off: no scheduled run"],
    ])("explains the cron schedule %s as %s", (expr, words) => {
      expect(describeSchedule(expr)).toBe(words)
    })

    it("explains an unusual schedule by its next run", () => {
      expect(describeSchedule("0 9 1 * *")).toMatch(/^cron "0 9 1 \* \*", next at \d{4}-\d\d-01 09:00 UTC$/)
    })

    it("lists every option with where its value comes from, unset ones with their meaning, secrets masked", () => {
      const options = parseOptions({
        privilegedToken: "secret-token",
        syncFromTag: "online",
        checkoutFreshnessSeconds: 300,
      })
      const { options_list, fields } = describeOptions(options, { checkoutFreshnessSeconds: 60 })
      const row = (k: string) => options_list.find((r) => r.key === k)!
      expect(row("productSyncSchedule")).toMatchObject({
        label: "Catalog sync schedule",
        value: "0 * * * *",
        source: "default",
        explained: "every hour",
      })
      expect(row("syncFromTag")).toMatchObject({ value: "online", source: "option" })
      expect(row("webhookBaseUrl")).toMatchObject({
        value: null,
        source: "unset",
        explained: "no webhooks: scheduled sync only",
      })
      expect(row("privilegedToken")).toMatchObject({ value: "•••••• (set)", source: "option" })
      expect(JSON.stringify(options_list)).not.toContain("secret-token")

      const freshness = fields.find((f) => f.key === "checkoutFreshnessSeconds")!
      expect(freshness).toMatchObject({
        value: 60,
        override: 60,
        option_value: 300,
        source: "override",
        input: "number",
        unit: "seconds",
      })
      // every run-time override is a field, the acceptance rule included
      expect(fields.map((f) => f.key)).toEqual(
        expect.arrayContaining([
          "syncFromTag",
          "defaultPriceList",
          "defaultStockLocationId",
          "locationMap",
          "orderSyncLevel",
          "orderSyncFrom",
          "checkoutWhenUnreachable",
          "autoFinalizeOrders",
          "autoFinalizePriceThreshold",
        ])
      )
      expect(fields.find((f) => f.key === "orderSyncLevel")!.choices!.map((c) => c.value)).toEqual([
        "off",
        "push",
        "push_and_status",
      ])
    })
  })

  describe("sync run records in words", () => {
    it("names the variant and location of each stock change and words the change keys", () => {
      const out = describeRunItem(
        {
          changes: ["details", "hidden: nothing to sell", "stock"],
          stock: { "200002": { sloc_1: [40, 18] }, "200003": { sloc_2: [null, 4] } },
        },
        new Map([["200002", "SBX-0001-M"]]),
        new Map([["sloc_1", "Main warehouse"]])
      )
      expect(out.change_text).toBe(
        "product details (title, description, options, SKUs or prices), hidden: nothing to sell"
      )
      expect(out.stock_changes).toEqual([
        {
          tradegecko_variant_id: 200002,
          variant: "SBX-0001-M",
          location_id: "sloc_1",
          location: "Main warehouse",
          from: 40,
          to: 18,
        },
        { tradegecko_variant_id: 200003, variant: null, location_id: "sloc_2", location: null, from: null, to: 4 },
      ])
    })

    it("reads older records whose changes are a plain list", () => {
      expect(describeRunItem(["created"], new Map(), new Map())).toEqual({
        change_text: "created from TradeGecko",
        stock_changes: [],
      })
      expect(describeRunItem(null, new Map(), new Map())).toEqual({ change_text: null, stock_changes: [] })
    })
  })
})
