import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import path from "node:path"
import { SETTING_COLUMNS, TradegeckoOptionsSchema } from "../../src/modules/tradegecko/options"
import { createAdminHeaders } from "../helpers/admin"
import { useSandbox } from "../helpers/sandbox"

jest.setTimeout(240_000)

const tg = useSandbox({ seed: { products: 1, variantsPerProduct: 1, seed: 1 } })

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    let headers: Record<string, string>
    const call = (method: "get" | "post", url: string, body?: unknown) =>
      (method === "get" ? api.get(url, { headers }) : api.post(url, body, { headers })).catch((e: any) => e.response)

    beforeEach(async () => {
      headers = (await createAdminHeaders(getContainer())).headers
      expect(tg.sandbox.url).toMatch(/^http/)
    })

    describe("settings page: one table of options", () => {
      it("lists every option of the schema, and a form field for each option the admin can override", async () => {
        const res = await call("get", "/admin/tradegecko/settings")
        expect(res.status).toBe(200)
        const { options_list, fields, editable } = res.data.settings
        expect(options_list.map((r: any) => r.key).sort()).toEqual(Object.keys(TradegeckoOptionsSchema.shape).sort())
        expect(fields.map((f: any) => f.key)).toEqual(Object.keys(SETTING_COLUMNS))
        expect(editable).toEqual(Object.keys(SETTING_COLUMNS))
      })

      it("an unknown override, or an option set only in medusa-config, is a 400 naming it, and nothing is saved", async () => {
        const unknown = await call("post", "/admin/tradegecko/settings", {
          syncFromTag: "online",
          checkoutFreshnes: 60,
        })
        expect(unknown.status).toBe(400)
        expect(unknown.data.message).toMatch(
          /^Invalid TradeGecko settings: checkoutFreshnes: no such setting \(the admin can change syncFromTag, .*checkoutFreshnessSeconds/
        )

        const fixed = await call("post", "/admin/tradegecko/settings", {
          syncFromTag: "online",
          baseUrl: "http://elsewhere.example",
        })
        expect(fixed.status).toBe(400)
        expect(fixed.data.message).toBe(
          "Invalid TradeGecko settings: baseUrl: set in the plugin options (medusa-config), it cannot be changed from the admin"
        )

        expect(await (getContainer().resolve("tradegecko") as any).getSettingOverrides()).toEqual({})
      })

      it("a known override is saved with the option's rule (trimmed) and reported as the override", async () => {
        const saved = await call("post", "/admin/tradegecko/settings", { syncFromTag: "  online  " })
        expect(saved.status).toBe(200)
        expect(saved.data.settings.fields.find((f: any) => f.key === "syncFromTag")).toMatchObject({
          value: "online",
          source: "override",
        })
        await call("post", "/admin/tradegecko/settings", { syncFromTag: null })
      })
    })
  },
})
