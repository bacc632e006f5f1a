import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import path from "node:path"
import { createAdminHeaders } from "../helpers/admin"

jest.setTimeout(180_000)

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    describe("Admin API: connection status (GET /admin/tradegecko/status)", () => {
      it("is 401 without an admin session", async () => {
        const res = await api.get("/admin/tradegecko/status").catch((e: any) => e.response)
        expect(res.status).toBe(401)
        expect(JSON.stringify(res.data)).not.toContain("sandbox-privileged-token")
      })

      it("reports configuration and credential kind, never the credential", async () => {
        const { headers } = await createAdminHeaders(getContainer())
        const res = await api.get("/admin/tradegecko/status", { headers })
        expect(res.status).toBe(200)
        expect(res.data).toEqual({
          configured: true,
          base_url: "http://127.0.0.1:4010",
          credential_present: true,
          credential_type: "privileged_token",
          order_sync_level: "push_and_status",
          latest_sync_run: null,
        })
        const body = JSON.stringify(res.data)
        expect(body).not.toContain("sandbox-privileged-token")
        expect(body).not.toContain("sandbox-client-secret")
      })

      it("returns the latest sync run stored in Postgres", async () => {
        const container = getContainer()
        const tradegecko: any = container.resolve("tradegecko")
        await tradegecko.createTradegeckoSyncRuns([
          {
            kind: "catalog",
            trigger: "schedule",
            status: "succeeded",
            started_at: new Date(Date.now() - 60_000),
            finished_at: new Date(),
          },
          {
            kind: "catalog",
            trigger: "manual",
            status: "failed",
            started_at: new Date(),
            error: "TradeGecko unavailable",
          },
        ])
        const { headers } = await createAdminHeaders(container)
        const res = await api.get("/admin/tradegecko/status", { headers })
        expect(res.data.latest_sync_run).toMatchObject({
          kind: "catalog",
          trigger: "manual",
          status: "failed",
          error: "TradeGecko unavailable",
        })
      })
    })
  },
})
