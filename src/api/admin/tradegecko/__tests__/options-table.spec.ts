import {
  OPTION_SPECS,
  parseOptions,
  parseSettingsUpdate,
  SETTING_COLUMNS,
  TradegeckoOptionsSchema,
} from "../../../../modules/tradegecko/options"
import { describeOptions } from "../settings/describe"

describe("the options table", () => {
  const { options_list, fields } = describeOptions(parseOptions({}), {})

  it("describes every option of the schema in words on the settings page", () => {
    const keys = Object.keys(TradegeckoOptionsSchema.shape)
    expect(options_list.map((r) => r.key).sort()).toEqual([...keys].sort())
    for (const row of options_list) {
      const spec = OPTION_SPECS[row.key as keyof typeof OPTION_SPECS]
      expect({ key: row.key, label: row.label, help: row.help }).toEqual({
        key: row.key,
        label: spec.label,
        help: spec.help,
      })
      expect(row.help).not.toBe("")
    }
    expect(new Set(options_list.map((r) => r.label)).size).toBe(keys.length)
  })

  it("makes a form field of exactly the overridable options, each saved in its own settings column", () => {
    expect(fields.map((f) => f.key)).toEqual(Object.keys(SETTING_COLUMNS))
    expect(new Set(Object.values(SETTING_COLUMNS)).size).toBe(fields.length)
    const select = fields.find((f) => f.key === "checkoutWhenUnreachable")!
    expect(select).toMatchObject({
      input: "select",
      choices: [
        { value: "allow", label: expect.any(String) },
        { value: "refuse", label: expect.any(String) },
      ],
    })
  })

  it("validates an override with the option's own rule", () => {
    expect(() => parseOptions({ checkoutFreshnessSeconds: -1 })).toThrow(
      "checkoutFreshnessSeconds: must be 0 or more seconds"
    )
    expect(() => parseSettingsUpdate({ checkoutFreshnessSeconds: -1 })).toThrow(
      "checkoutFreshnessSeconds: must be 0 or more seconds"
    )
    expect(() => parseSettingsUpdate({ autoFinalizePriceThreshold: 2 })).toThrow(
      "autoFinalizePriceThreshold: must be between 0 and 1"
    )
    expect(parseSettingsUpdate({ syncFromTag: " online ", checkoutFreshnessSeconds: null })).toEqual({
      syncFromTag: "online",
      checkoutFreshnessSeconds: null,
    })
  })

  it("refuses an option the admin cannot change, and an unknown name, naming each", () => {
    const refused = (() => {
      try {
        parseSettingsUpdate({ baseUrl: "http://x", checkoutFreshnes: 5, syncFromTag: "ok" })
      } catch (e) {
        return e as Error & { type?: string }
      }
    })()
    expect(refused?.type).toBe("invalid_data")
    expect(refused?.message).toMatch(
      /^Invalid TradeGecko settings: baseUrl: set in the plugin options \(medusa-config\), it cannot be changed from the admin; checkoutFreshnes: no such setting \(the admin can change syncFromTag, .*checkoutFreshnessSeconds/
    )
  })
})
