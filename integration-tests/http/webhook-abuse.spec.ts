// First import: raises LOG_LEVEL and taps stdout/stderr/console before Medusa's logger loads.
import { capturedLogs, findSecrets, stopLogCapture } from "../helpers/log-capture"
import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import fs from "node:fs"
import path from "node:path"
import { webhookSignature } from "../../sandbox"
import { startCatalogSync } from "../../src/lib/start-catalog-sync"
import { createAdminHeaders } from "../helpers/admin"
import { useAppEnv } from "../helpers/env"
import { useSandbox } from "../helpers/sandbox"
import { seedStore } from "../helpers/store"
import { medusaVariantId, waitFor } from "../helpers/wait"

/**
 * The public internet sends junk to POST /hooks/tradegecko, and the admin routes are one
 * stolen page away from an attacker. Proves:
 *  - every bad delivery (unsigned, forged, malformed, empty, schema-invalid, 1 MB) is
 *    answered 401/400/413 with a JSON error, never 500, and writes NOTHING (row count and
 *    last update of every plugin table and of products, variants, inventory levels);
 *  - a validly signed unknown event is acknowledged (200, "ignored") and writes nothing;
 *  - the same delivery 5 times (one after another, and all at once) is recorded once and
 *    applied once; deliveries out of order end in TradeGecko's current state;
 *  - every admin route (found from the route files) answers 401 without credentials;
 *  - no token or secret (privileged token, OAuth app secret, OAuth access/refresh tokens,
 *    tokens pasted in the admin, DB password, JWT/cookie secrets) appears in any response
 *    or in anything the app logged at debug level, including TradeGecko 401/500 paths.
 */

jest.setTimeout(240_000)

// The store connects from the admin (privileged token in each test, OAuth in one), so the
// tokens live in the database like in production; restored afterwards for other suites.
useAppEnv({ TRADEGECKO_PRIVILEGED_TOKEN: "none", TRADEGECKO_WEBHOOK_BASE_URL: "http://shop.example.test" })
const REDIRECT_URI = "http://shop.example.test/tradegecko/oauth/callback"
afterAll(() => stopLogCapture())

const SEED = { products: 10, variantsPerProduct: 2, seed: 1 }
const tg = useSandbox({ seed: SEED, redirectUri: REDIRECT_URI })

// Seed (sandbox/seed.ts, seed 1): variant 200001 has 39 on hand at location 1 and 6 elsewhere.
const VARIANT = 200001
const OTHER_LOCATIONS = 6

/** Every secret the suite has seen, by name; grows as tests connect and rotate tokens. */
const secrets: Record<string, string> = {}
/** Every response body (status, URL, body) the suite received from the app. */
const responses: string[] = []
const statuses: Array<{ status: number; what: string; outage: boolean }> = []
/** True while the test makes TradeGecko fail on purpose (admin calls may then fail, the webhook receiver may not). */
let outage = false

const ADMIN_API_DIR = path.resolve(__dirname, "../../src/api/admin")
/** Placeholder for a route parameter when no better id is known. */
const UNKNOWN_ID = "missing_01ABUSE"

/** The plugin's admin routes, read from src/api/admin/** /route.ts (a new route is covered without editing this test). */
function adminRoutes(): Array<{ route: string; methods: string[] }> {
  const out: Array<{ route: string; methods: string[] }> = []
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (/^route\.[jt]s$/.test(entry.name)) {
        const source = fs.readFileSync(full, "utf8")
        const methods = [
          ...source.matchAll(/export\s+(?:async\s+function|function|const)\s+(GET|POST|PUT|PATCH|DELETE)\b/g),
        ].map((m) => m[1])
        const rel = path.relative(ADMIN_API_DIR, path.dirname(full)).split(path.sep).join("/")
        out.push({ route: `/admin/${rel}`, methods })
      }
    }
  }
  walk(ADMIN_API_DIR)
  return out.sort((a, b) => a.route.localeCompare(b.route))
}

async function snapshot(container: MedusaContainer): Promise<Record<string, string>> {
  const knex = container.resolve(ContainerRegistrationKeys.PG_CONNECTION) as any
  const { rows } = await knex.raw(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'
       and (left(table_name, 11) = 'tradegecko_' or table_name in ('product', 'product_variant', 'inventory_item', 'inventory_level', 'order', 'stock_location'))`
  )
  const out: Record<string, string> = {}
  for (const { table_name } of rows as Array<{ table_name: string }>) {
    const {
      rows: [r],
    } = await knex.raw(`select count(*)::int as n, max(updated_at) as u from "${table_name}"`)
    out[table_name] = `${r.n} rows, last update ${r.u ? new Date(r.u).toISOString() : "-"}`
  }
  return out
}

medusaIntegrationTestRunner({
  cwd: path.resolve(__dirname, "../.."),
  testSuite: ({ api, getContainer }) => {
    let headers: Record<string, string>
    const tradegecko = () => getContainer().resolve("tradegecko") as any

    const record = (status: number, what: string, body: unknown) => {
      statuses.push({ status, what, outage })
      responses.push(`${status} ${what} ${typeof body === "string" ? body : JSON.stringify(body)}`)
    }
    /** Admin/API call through the runner's client; records the answer. */
    const call = async (
      method: "get" | "post" | "delete",
      url: string,
      body?: unknown,
      h: Record<string, string> = headers
    ) => {
      const res = await (
        method === "post"
          ? api.post(url, body ?? {}, { headers: h, maxRedirects: 0 })
          : api.request({ method, url, headers: h, maxRedirects: 0 })
      ).catch((e: any) => e.response)
      record(res.status, `${method.toUpperCase()} ${url}`, res.data)
      return res
    }
    /** A raw POST to the webhook receiver (exact bytes, any headers); records the answer. */
    const hook = async (body: string | Buffer, h: Record<string, string>) => {
      const res = await fetch(`${api.defaults.baseURL}/hooks/tradegecko`, { method: "POST", headers: h, body })
      const text = await res.text()
      record(res.status, "POST /hooks/tradegecko", text)
      let json: any = null
      try {
        json = JSON.parse(text)
      } catch {
        /* asserted by the caller */
      }
      return { status: res.status, json, contentType: res.headers.get("content-type") ?? "" }
    }
    const secret = () => tg.sandbox.credentials.clientSecret
    const notification = (event: string, objectId: number | string, timestamp = Math.floor(Date.now() / 1000)) =>
      JSON.stringify({
        object_id: objectId,
        event,
        timestamp,
        resource_url: `https://api.tradegecko.com/variants/${objectId}`,
      })
    const signed = (body: string | Buffer, delivery: string, extra: Record<string, string> = {}) => ({
      "content-type": "application/json",
      "x-gecko-delivery": delivery,
      "x-gecko-signature": webhookSignature(secret(), body as string),
      ...extra,
    })
    const deliveries = (filter: Record<string, unknown> = {}) => tradegecko().listTradegeckoWebhookDeliveries(filter)
    const webhookRuns = () => tradegecko().listTradegeckoSyncRuns({ trigger: "webhook" })
    const waitDelivery = (deliveryId: string, status = "processed") =>
      waitFor(
        async () => (await deliveries({ delivery_id: deliveryId }))[0]?.status === status,
        30_000,
        `delivery ${deliveryId} ${status}`
      )

    async function importCatalog() {
      const { done } = startCatalogSync(getContainer(), { trigger: "manual", dryRun: false, scope: null })
      expect((await done).status).toBe("succeeded")
    }
    async function stockOf(tgVariantId: number): Promise<number> {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "product_variant",
        fields: ["inventory_items.inventory.location_levels.stocked_quantity"],
        filters: { id: await medusaVariantId(getContainer(), tgVariantId) },
      })
      const levels = (data[0] as any).inventory_items?.[0]?.inventory?.location_levels ?? []
      return levels.reduce((n: number, l: any) => n + Number(l.stocked_quantity), 0)
    }

    beforeEach(async () => {
      const container = getContainer()
      ;(container.resolve("logger") as any).setLogLevel?.(process.env.LOG_LEVEL)
      await tg.control("POST", "/reset", { seed: SEED })
      await tg.control("DELETE", "/faults")
      await seedStore(container)
      const admin = await createAdminHeaders(container)
      headers = admin.headers
      secrets[`admin JWT ${Object.keys(secrets).length}`] = admin.headers.authorization.replace(/^Bearer /, "")
      const config = container.resolve("configModule") as any
      Object.assign(secrets, {
        "privileged token": tg.sandbox.credentials.privilegedToken,
        "OAuth client secret (sandbox)": tg.sandbox.credentials.clientSecret,
        "OAuth client secret (plugin options)": tradegecko().getOptions().clientSecret,
        "JWT secret": config.projectConfig.http.jwtSecret,
        "cookie secret": config.projectConfig.http.cookieSecret,
        "DB password": process.env.DB_PASSWORD ?? "",
      })
      // connected from the settings page with the privileged token: stored in the database
      await call("post", "/admin/tradegecko/disconnect", {})
      const connected = await call("post", "/admin/tradegecko/connect", {
        type: "privileged_token",
        token: tg.sandbox.credentials.privilegedToken,
      })
      expect(connected.status).toBe(200)
    })

    describe("Webhook receiver: deliveries that must not change anything", () => {
      it("bad deliveries: 401 / 400 / 413 with a JSON error, never 500, and nothing written", async () => {
        const container = getContainer()
        await importCatalog()
        const valid = notification("variant.stock_level_update", VARIANT)
        const megabyte = JSON.stringify({
          object_id: VARIANT,
          event: "variant.stock_level_update",
          timestamp: 1,
          resource_url: "x",
          pad: "x".repeat(1024 * 1024),
        })
        const cases: Array<{
          name: string
          body: string | Buffer
          headers: Record<string, string>
          status: number | number[]
        }> = [
          {
            name: "unsigned",
            body: valid,
            headers: { "content-type": "application/json", "x-gecko-delivery": "bad-1" },
            status: 401,
          },
          {
            name: "signed with another secret",
            body: valid,
            headers: { ...signed(valid, "bad-2"), "x-gecko-signature": webhookSignature("not-the-secret", valid) },
            status: 401,
          },
          {
            name: "signature not base64",
            body: valid,
            headers: { ...signed(valid, "bad-3"), "x-gecko-signature": "!!not base64!!" },
            status: 401,
          },
          {
            name: "empty signature",
            body: valid,
            headers: { ...signed(valid, "bad-4"), "x-gecko-signature": "" },
            status: 401,
          },
          {
            name: "valid signature of another body (tampered body)",
            body: notification("variant.stock_level_update", 200002),
            headers: signed(valid, "bad-5"),
            status: 401,
          },
          {
            name: "signed text/plain body, wrong secret",
            body: valid,
            headers: { "content-type": "text/plain", "x-gecko-signature": webhookSignature("nope", valid) },
            status: 401,
          },
          {
            name: "malformed JSON, signed",
            body: '{"object_id": 200001, "event": ',
            headers: signed('{"object_id": 200001, "event": ', "bad-6"),
            status: 400,
          },
          {
            name: "malformed JSON, unsigned",
            body: "{not json",
            headers: { "content-type": "application/json" },
            status: 400,
          },
          {
            name: "malformed JSON as text/plain, signed",
            body: "{not json",
            headers: { ...signed("{not json", "bad-7"), "content-type": "text/plain" },
            status: 400,
          },
          { name: "empty body, signed", body: "", headers: signed("", "bad-8"), status: 400 },
          { name: "empty body, unsigned", body: "", headers: { "content-type": "application/json" }, status: 401 },
          { name: "JSON null, signed", body: "null", headers: signed("null", "bad-9"), status: 400 },
          { name: "JSON array, signed", body: "[]", headers: signed("[]", "bad-10"), status: 400 },
          {
            name: "missing object_id, signed",
            body: '{"event":"variant.stock_level_update","timestamp":1,"resource_url":"x"}',
            headers: signed('{"event":"variant.stock_level_update","timestamp":1,"resource_url":"x"}', "bad-11"),
            status: 400,
          },
          {
            name: "object_id not a number, signed",
            body: notification("variant.stock_level_update", "abc"),
            headers: signed(notification("variant.stock_level_update", "abc"), "bad-12"),
            status: 400,
          },
          {
            name: "object_id beyond the integer range, signed",
            body: notification("variant.stock_level_update", 2 ** 40),
            headers: signed(notification("variant.stock_level_update", 2 ** 40), "bad-17"),
            status: 400,
          },
          {
            name: "object_id zero, signed",
            body: notification("variant.stock_level_update", 0),
            headers: signed(notification("variant.stock_level_update", 0), "bad-18"),
            status: 400,
          },
          {
            name: "event missing, signed",
            body: '{"object_id":200001,"timestamp":1,"resource_url":"x"}',
            headers: signed('{"object_id":200001,"timestamp":1,"resource_url":"x"}', "bad-13"),
            status: 400,
          },
          { name: "1 MB JSON, signed", body: megabyte, headers: signed(megabyte, "bad-14"), status: 413 },
          { name: "1 MB JSON, unsigned", body: megabyte, headers: { "content-type": "application/json" }, status: 413 },
          {
            name: "1 MB text/plain, signed",
            body: megabyte,
            headers: { ...signed(megabyte, "bad-15"), "content-type": "text/plain" },
            status: 413,
          },
          // no body parser takes it: no raw body to verify, so unauthorized
          {
            name: "1 MB octet-stream, signed",
            body: Buffer.from(megabyte),
            headers: { ...signed(megabyte, "bad-16"), "content-type": "application/octet-stream" },
            status: [401, 413],
          },
        ]

        const before = await snapshot(container)
        for (const c of cases) {
          const res = await hook(c.body, c.headers)
          const expected = Array.isArray(c.status) ? c.status : [c.status]
          expect({ case: c.name, status: expected.includes(res.status) ? expected[0] : res.status }).toEqual({
            case: c.name,
            status: expected[0],
          })
          expect({
            case: c.name,
            json: res.contentType.includes("application/json") && typeof res.json?.message === "string",
          }).toEqual({ case: c.name, json: true })
          expect(res.json.received).toBeUndefined()
          // a bad delivery starts nothing in the background either
          await new Promise((r) => setTimeout(r, 150))
          expect({ case: c.name, tables: await snapshot(container) }).toEqual({ case: c.name, tables: before })
        }
        expect(await deliveries()).toHaveLength(0)
        expect(await webhookRuns()).toHaveLength(0)
        expect(await stockOf(VARIANT)).toBe(39 + OTHER_LOCATIONS)

        // the receiver still works after all that
        await tg.control("POST", `/variants/${VARIANT}/stock`, { stock_on_hand: 10, location_id: 1 })
        const ok = await hook(valid, signed(valid, "good-after-abuse"))
        expect(ok).toMatchObject({ status: 200, json: { received: true } })
        await waitDelivery("good-after-abuse")
        expect(await stockOf(VARIANT)).toBe(10 + OTHER_LOCATIONS)
      })

      it("a validly signed unknown event is acknowledged as ignored and writes nothing, however often it comes", async () => {
        const container = getContainer()
        await importCatalog()
        const before = await snapshot(container)
        const body = notification("something.nobody.sends", VARIANT)
        for (let i = 0; i < 2; i++) {
          const res = await hook(body, signed(body, "unknown-1"))
          expect(res.status).toBe(200)
          expect(res.json).toEqual({ received: true, ignored: true })
        }
        await new Promise((r) => setTimeout(r, 500))
        expect(await deliveries()).toEqual([])
        const after = await snapshot(container)
        expect(Object.keys(after).filter((t) => after[t] !== before[t])).toEqual([])
        expect(await webhookRuns()).toHaveLength(0)
      })
    })

    describe("Webhook receiver: repeated and out-of-order deliveries", () => {
      it("the same delivery 5 times, one after another and all at once: recorded once, applied once", async () => {
        await importCatalog()
        // one after another
        await tg.control("POST", `/variants/${VARIANT}/stock`, { stock_on_hand: 10, location_id: 1 })
        const first = notification("variant.stock_level_update", VARIANT)
        const sequential = []
        for (let i = 0; i < 5; i++) sequential.push(await hook(first, signed(first, "repeat-seq")))
        expect(sequential.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
        expect(sequential.map((r) => Boolean(r.json.duplicate))).toEqual([false, true, true, true, true])
        await waitDelivery("repeat-seq")
        expect(await deliveries({ delivery_id: "repeat-seq" })).toHaveLength(1)
        expect(await webhookRuns()).toHaveLength(1)
        expect(await stockOf(VARIANT)).toBe(10 + OTHER_LOCATIONS)

        // all at once: the unique delivery id decides, no 500 from the losers
        await tg.control("POST", `/variants/${VARIANT}/stock`, { stock_on_hand: 20, location_id: 1 })
        const second = notification("variant.stock_level_update", VARIANT, Math.floor(Date.now() / 1000) + 1)
        const concurrent = await Promise.all(
          Array.from({ length: 5 }, () => hook(second, signed(second, "repeat-concurrent")))
        )
        expect(concurrent.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
        expect(concurrent.filter((r) => !r.json.duplicate)).toHaveLength(1)
        await waitDelivery("repeat-concurrent")
        // give a wrongly started second run time to show up
        await new Promise((r) => setTimeout(r, 1000))
        expect(await deliveries({ delivery_id: "repeat-concurrent" })).toHaveLength(1)
        const runs = await webhookRuns()
        expect(runs).toHaveLength(2)
        expect(runs.every((r: any) => r.status === "succeeded")).toBe(true)
        expect(await stockOf(VARIANT)).toBe(20 + OTHER_LOCATIONS)
      })

      it("deliveries out of order end in TradeGecko's current state, not the older announcement's", async () => {
        await importCatalog()
        const t0 = Math.floor(Date.now() / 1000)
        await tg.control("POST", `/variants/${VARIANT}/stock`, { stock_on_hand: 10, location_id: 1 })
        const older = notification("variant.stock_level_update", VARIANT, t0)
        await tg.control("POST", `/variants/${VARIANT}/stock`, { stock_on_hand: 3, location_id: 1 })
        const newer = notification("variant.stock_level_update", VARIANT, t0 + 5)

        expect((await hook(newer, signed(newer, "ooo-newer"))).status).toBe(200)
        await waitDelivery("ooo-newer")
        expect(await stockOf(VARIANT)).toBe(3 + OTHER_LOCATIONS)
        // the older announcement arrives late: it re-reads TradeGecko, it does not replay 10
        expect((await hook(older, signed(older, "ooo-older"))).status).toBe(200)
        await waitDelivery("ooo-older")
        expect(await stockOf(VARIANT)).toBe(3 + OTHER_LOCATIONS)
        expect((await deliveries()).map((d: any) => d.status).sort()).toEqual(["processed", "processed"])
      })
    })

    describe("Admin API and receiver: credentials and secrets", () => {
      it("every admin route answers 401 without credentials or with a forged token; the OAuth callback needs none and fails softly", async () => {
        const routes = adminRoutes()
        // sanity: the enumeration sees the routes we know of
        expect(routes.map((r) => r.route)).toEqual(
          expect.arrayContaining([
            "/admin/tradegecko/status",
            "/admin/tradegecko/settings",
            "/admin/tradegecko/connect",
            "/admin/tradegecko/sync-runs/[id]",
          ])
        )
        expect(routes.every((r) => r.methods.length > 0)).toBe(true)
        const failures: string[] = []
        for (const { route, methods } of routes) {
          const url = route.replace(/\[[^\]]+\]/g, UNKNOWN_ID)
          for (const method of methods) {
            for (const [label, h] of [
              ["no credentials", {}],
              ["forged token", { authorization: "Bearer forged.jwt.token" }],
            ] as const) {
              const res = await (method === "GET"
                ? call("get", url, undefined, h)
                : method === "DELETE"
                  ? call("delete", url, undefined, h)
                  : call("post", url, {}, h))
              if (res.status !== 401) failures.push(`${method} ${url} (${label}) → ${res.status}`)
            }
          }
        }
        expect(failures).toEqual([])
        // nothing happened: still connected, no run started
        expect(await tradegecko().listTradegeckoSyncRuns({})).toHaveLength(0)
        expect((await call("get", "/admin/tradegecko/settings")).data.settings.connection).toMatchObject({
          connected: true,
        })

        const callback = await call("get", "/tradegecko/oauth/callback?code=forged&state=forged", undefined, {})
        expect(callback.status).toBe(302)
        expect(callback.headers.location).toMatch(/oauth_error=/)
      })

      it("TradeGecko refusing or failing (401 / 500 with the Authorization header) leaks no token to responses or logs; every admin GET is checked", async () => {
        await importCatalog()
        // a pasted token TradeGecko refuses (401): said in words, the token not echoed
        secrets["refused pasted token"] = `refused-canary-${Date.now()}`
        const refused = await call("post", "/admin/tradegecko/connect", {
          type: "privileged_token",
          token: secrets["refused pasted token"],
        })
        expect(refused.status).toBe(400)
        expect(refused.data.message).toMatch(/refused/)

        // TradeGecko answering 500 while a pasted token is checked (Medusa logs the error with its cause)
        // (a token TradeGecko knows, so the call gets past authentication and meets the 500)
        secrets["pasted token during outage"] = tg.sandbox.credentials.privilegedToken
        await tg.control("POST", "/faults", { mode: "500", path: "^/accounts" })
        outage = true
        const failed = await call("post", "/admin/tradegecko/connect", {
          type: "privileged_token",
          token: secrets["pasted token during outage"],
        })
        expect(failed.status).toBe(502)
        expect(failed.data).toMatchObject({
          type: "tradegecko_unavailable",
          message: expect.stringMatching(/^TradeGecko did not answer as expected: /),
        })
        outage = false
        await tg.control("DELETE", "/faults")

        // a webhook whose re-read meets a TradeGecko 500: the delivery fails, the error is stored
        await tg.control("POST", "/faults", { mode: "500", path: "^/variants" })
        const body = notification("variant.stock_level_update", VARIANT)
        expect((await hook(body, signed(body, "during-outage"))).status).toBe(200)
        await waitFor(
          async () => ["failed", "processed"].includes((await deliveries({ delivery_id: "during-outage" }))[0]?.status),
          60_000,
          "webhook during outage settled"
        )
        await tg.control("DELETE", "/faults")

        // OAuth: connect, expire the access token (TradeGecko answers 401 → refresh → retry)
        const started = await call("post", "/admin/tradegecko/connect", { type: "oauth" })
        const authorize = new URL(started.data.authorize_url)
        const decision = await fetch(`${tg.sandbox.url}/oauth/authorize`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ ...Object.fromEntries(authorize.searchParams), decision: "approve" }).toString(),
          redirect: "manual",
        })
        const back = new URL(decision.headers.get("location")!)
        expect((await call("get", `${back.pathname}${back.search}`, undefined, {})).headers.location).toBe(
          "/app/tradegecko?connected=oauth"
        )
        const row = async () => (await tradegecko().listTradegeckoConnectionTokens({}, { take: 1 }))[0]
        const first = await row()
        Object.assign(secrets, {
          "OAuth access token": first.oauth_access_token,
          "OAuth refresh token": first.oauth_refresh_token,
        })
        await tg.control("POST", "/tokens/expire")
        await tg.clearRequests()
        await expect(tradegecko().getClient().accounts.current()).resolves.toMatchObject({ id: 1 })
        expect((await tg.requestCounts())["POST /oauth/token"]).toBe(1)
        const rotated = await row()
        expect(rotated.oauth_access_token).not.toBe(first.oauth_access_token)
        Object.assign(secrets, {
          "OAuth access token (rotated)": rotated.oauth_access_token,
          "OAuth refresh token (rotated)": rotated.oauth_refresh_token,
        })
        // and an OAuth call that keeps failing (500) while a product is synced from the admin
        await tg.control("POST", "/faults", { mode: "500", path: "^/(products|variants)" })
        outage = true
        const [productLink] = await tradegecko().listTradegeckoProductLinks({ tradegecko_product_id: 100001 })
        const forced = await call("post", `/admin/tradegecko/products/${productLink.product_id}/sync`, {})
        expect(forced.status).toBe(502)
        outage = false
        await tg.control("DELETE", "/faults")

        // every admin GET, with real ids where the route takes one
        const [run] = await tradegecko().listTradegeckoSyncRuns({}, { take: 1, order: { created_at: "DESC" } })
        const ids: Record<string, string> = { "sync-runs": run.id, products: productLink.product_id }
        for (const { route, methods } of adminRoutes()) {
          if (!methods.includes("GET")) continue
          const url = route.replace(
            /([^/]+)\/\[[^\]]+\]/g,
            (_m, parent: string) => `${parent}/${ids[parent] ?? UNKNOWN_ID}`
          )
          const res = await call("get", url)
          expect({ url, status: res.status < 500 }).toEqual({ url, status: true })
        }
      })

      // Runs last: checks what every test above received and made the app log.
      it("the receiver and admin answered no 500; no secret in any response or captured log line", async () => {
        // the capture itself works: Medusa's logger output reaches it (info and debug)
        const marker = `log-capture-marker-${Date.now()}`
        ;(getContainer().resolve("logger") as any).info(marker)
        expect(capturedLogs.some((l) => l.includes(marker))).toBe(true)
        expect(capturedLogs.some((l) => l.includes("Error 413 at /hooks/tradegecko"))).toBe(true)

        expect(statuses.filter((s) => s.what.startsWith("POST /hooks/")).length).toBeGreaterThan(30)
        // TradeGecko failing is a 502 in words, never Medusa's "unknown error" 500
        expect(
          statuses.filter(
            (s) => s.status >= 500 && (s.status !== 502 || !s.outage || s.what.startsWith("POST /hooks/"))
          )
        ).toEqual([])
        expect(Object.keys(secrets).length).toBeGreaterThanOrEqual(10)

        const leaks = (lines: string[]) =>
          lines.flatMap((line) =>
            findSecrets(line, secrets).map(
              (name) => `${name} in: ${line.replaceAll(secrets[name], "<" + name + ">").slice(0, 400)}`
            )
          )
        expect(leaks(responses)).toEqual([])
        expect(leaks(capturedLogs)).toEqual([])
      })
    })
  },
})
