// OAuth 2 authorization-code flow, refresh rotation, token expiry, privileged tokens, rate limiting.
import { request, start, type TestSandbox } from "./helpers"

let t: TestSandbox
let now = Date.UTC(2025, 5, 1, 12, 0, 7) // controllable clock
beforeAll(async () => {
  t = await start({ now: () => now, seed: { products: 3 } })
})
afterAll(() => t.close())

const form = (o: Record<string, string>) => new URLSearchParams(o).toString()

async function authorize(): Promise<string> {
  const { clientId, redirectUri } = t.sb.credentials
  const page = await request(
    `${t.sb.url}/oauth/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&state=xyz`
  )
  expect(page.status).toBe(200)
  expect(page.headers.get("content-type")).toContain("text/html")
  expect(page.text).toContain('<form method="post" action="/oauth/authorize">')
  // "click" Approve: post the form's hidden fields + the button value
  const fields = Object.fromEntries(
    [...page.text.matchAll(/name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2].replace(/&amp;/g, "&")])
  )
  const approve = await request(`${t.sb.url}/oauth/authorize`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: form({ ...fields, decision: "approve" }),
  })
  expect(approve.status).toBe(302)
  const location = new URL(approve.headers.get("location") as string)
  expect(`${location.origin}${location.pathname}`).toBe(redirectUri)
  expect(location.searchParams.get("state")).toBe("xyz")
  return location.searchParams.get("code") as string
}

const tokenRequest = (body: Record<string, string>, json = true) =>
  request(`${t.sb.url}/oauth/token`, {
    method: "POST",
    headers: { "Content-Type": json ? "application/json" : "application/x-www-form-urlencoded" },
    body: json ? JSON.stringify(body) : form(body),
  })

const apiWith = (token: string) =>
  request(`${t.sb.url}/accounts/current`, { headers: { Authorization: `Bearer ${token}` } })

describe("Sandbox: OAuth and rate limiting", () => {
  describe("OAuth authorization code flow", () => {
    it("authorize → code → token → refresh rotation → old refresh dies → expiry → 401", async () => {
      const { clientId, clientSecret, redirectUri } = t.sb.credentials
      const code = await authorize()
      const tok = await tokenRequest({
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uri: redirectUri,
        code,
        grant_type: "authorization_code",
      })
      expect(tok.status).toBe(200)
      expect(tok.json).toEqual({
        access_token: expect.stringMatching(/^[0-9a-f]{64}$/),
        token_type: "bearer",
        expires_in: 7200,
        refresh_token: expect.stringMatching(/^[0-9a-f]{64}$/),
        scope: "public",
        created_at: Math.floor(now / 1000),
      })
      expect((await apiWith(tok.json.access_token)).status).toBe(200)

      // codes are single-use
      const reuse = await tokenRequest({
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uri: redirectUri,
        code,
        grant_type: "authorization_code",
      })
      expect(reuse.status).toBe(401)
      expect(reuse.json.error).toBe("invalid_grant")

      // refresh (form-encoded, as OAuth2 client libraries send it) rotates the refresh token
      const refreshed = await tokenRequest(
        {
          client_id: clientId,
          client_secret: clientSecret,
          redirect_uri: redirectUri,
          refresh_token: tok.json.refresh_token,
          grant_type: "refresh_token",
        },
        false
      )
      expect(refreshed.status).toBe(200)
      expect(refreshed.json.refresh_token).not.toBe(tok.json.refresh_token)
      expect((await apiWith(refreshed.json.access_token)).status).toBe(200)

      // the old refresh token is dead
      const old = await tokenRequest({
        client_id: clientId,
        client_secret: clientSecret,
        refresh_token: tok.json.refresh_token,
        grant_type: "refresh_token",
      })
      expect(old.status).toBe(401)
      expect(old.json).toEqual({
        error: "invalid_request",
        error_description:
          "The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.",
      })

      // 2 hours later the access token has expired
      now += 7200 * 1000
      const expired = await apiWith(refreshed.json.access_token)
      expect(expired.status).toBe(401)
      expect(expired.json).toEqual({ type: "Unauthorized", message: "The access token expired" })
      expect(expired.headers.get("www-authenticate")).toMatch(/^Bearer realm="TradeGecko", error="invalid_token"/)

      // HTTP Basic client credentials work too; the new token is fresh
      const basic = Buffer.from(`${clientId}:${clientSecret}`).toString("base64")
      const again = await request(`${t.sb.url}/oauth/token`, {
        method: "POST",
        headers: { Authorization: `Basic ${basic}`, "Content-Type": "application/x-www-form-urlencoded" },
        body: form({ grant_type: "refresh_token", refresh_token: refreshed.json.refresh_token }),
      })
      expect(again.status).toBe(200)
      expect((await apiWith(again.json.access_token)).status).toBe(200)
    })

    it("control API can expire every access token (privileged tokens never expire)", async () => {
      const { code } = (await t.control("POST", "/oauth/code")).json
      const { clientId, clientSecret, redirectUri } = t.sb.credentials
      const tok = await tokenRequest({
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uri: redirectUri,
        code,
        grant_type: "authorization_code",
      })
      expect((await apiWith(tok.json.access_token)).status).toBe(200)
      expect((await t.control("POST", "/tokens/expire")).json.expired).toBeGreaterThanOrEqual(1)
      expect((await apiWith(tok.json.access_token)).json.message).toBe("The access token expired")
      now += 365 * 86400 * 1000
      expect((await apiWith(t.token)).status).toBe(200)
    })

    it("rejects a redirect_uri that does not match exactly", async () => {
      const { clientId } = t.sb.credentials
      const res = await request(
        `${t.sb.url}/oauth/authorize?response_type=code&client_id=${clientId}&redirect_uri=${encodeURIComponent("http://evil.example/cb")}`
      )
      expect(res.status).toBe(400)
      expect(res.text).toContain("The redirect uri included is not valid.")
      const { code } = (await t.control("POST", "/oauth/code")).json
      const mismatch = await tokenRequest({
        client_id: clientId,
        client_secret: t.sb.credentials.clientSecret,
        redirect_uri: "http://evil.example/cb",
        code,
        grant_type: "authorization_code",
      })
      expect(mismatch.json.error).toBe("invalid_grant")
    })

    it("deny redirects with access_denied; wrong secret is invalid_client", async () => {
      const { clientId, redirectUri } = t.sb.credentials
      const deny = await request(`${t.sb.url}/oauth/authorize`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: form({ client_id: clientId, redirect_uri: redirectUri, response_type: "code", decision: "deny" }),
      })
      expect(new URL(deny.headers.get("location") as string).searchParams.get("error")).toBe("access_denied")
      const bad = await tokenRequest({
        client_id: clientId,
        client_secret: "nope",
        grant_type: "refresh_token",
        refresh_token: "x",
      })
      expect(bad.status).toBe(401)
      expect(bad.json.error).toBe("invalid_client")
    })

    it("missing or unknown bearer tokens get 401 + WWW-Authenticate and no rate-limit headers", async () => {
      const missing = await request(`${t.sb.url}/products`)
      expect(missing.status).toBe(401)
      expect(missing.json).toEqual({ type: "Unauthorized", message: "You need to supply an access token" })
      expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="TradeGecko"')
      const unknown = await request(`${t.sb.url}/products`, { headers: { Authorization: "Bearer nope" } })
      expect(unknown.json.message).toBe("The access token is invalid")
      expect(unknown.headers.get("x-rate-limit-limit")).toBeNull()
    })
  })

  describe("rate limiting", () => {
    afterEach(() => t.control("POST", "/rate-limit", { limit: 300, windowSeconds: 300 }))

    it("counts per application in epoch-aligned windows and answers 429 past the limit", async () => {
      now = Date.UTC(2025, 5, 2, 0, 0, 0) + 3_500 // 3.5 s into a 10 s window
      await t.control("POST", "/rate-limit", { limit: 3, windowSeconds: 10 })
      const reset = String(Math.floor(now / 1000 / 10) * 10 + 10)
      const seen: [number, string | null, string | null][] = []
      for (let i = 0; i < 4; i++) {
        const r = await t.api("GET", "/products?limit=1")
        seen.push([r.status, r.headers.get("x-rate-limit-remaining"), r.headers.get("x-rate-limit-reset")])
        if (r.status === 429) {
          expect(r.json.type).toBe("Too Many Requests")
          expect(r.headers.get("retry-after")).toBeNull()
          expect(r.headers.get("x-rate-limit-limit")).toBe("3")
        }
      }
      expect(seen).toEqual([
        [200, "2", reset],
        [200, "1", reset],
        [200, "0", reset],
        [429, "0", reset],
      ])
      expect(Number(reset) % 10).toBe(0)

      // OAuth tokens of the same application share the privileged token's quota
      const { code } = (await t.control("POST", "/oauth/code")).json
      const { clientId, clientSecret, redirectUri } = t.sb.credentials
      const tok = await tokenRequest({
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uri: redirectUri,
        code,
        grant_type: "authorization_code",
      })
      expect((await apiWith(tok.json.access_token)).status).toBe(429)

      // the next window starts fresh
      now += 10_000
      const fresh = await t.api("GET", "/products?limit=1")
      expect(fresh.status).toBe(200)
      expect(fresh.headers.get("x-rate-limit-remaining")).toBe("2")
      expect(fresh.headers.get("x-rate-limit-reset")).toBe(String(Number(reset) + 10))
    })

    it("defaults to 300 per 300 s with a reset on a multiple of 300", async () => {
      const r = await t.api("GET", "/products?limit=1")
      expect(r.headers.get("x-rate-limit-limit")).toBe("300")
      expect(Number(r.headers.get("x-rate-limit-reset")) % 300).toBe(0)
      expect(Number(r.headers.get("x-rate-limit-reset")) * 1000).toBeGreaterThan(now)
      expect(Number(r.headers.get("x-rate-limit-reset")) * 1000 - now).toBeLessThanOrEqual(300_000)
      // the Date header follows the sandbox clock, consistent with the reset value
      expect(Date.parse(r.headers.get("date") as string)).toBe(Math.floor(now / 1000) * 1000)
    })

    it("control requests are neither limited nor logged", async () => {
      await t.control("POST", "/rate-limit", { limit: 1, windowSeconds: 60 })
      await t.control("DELETE", "/requests")
      for (let i = 0; i < 5; i++) expect((await t.control("GET", "/state")).status).toBe(200)
      expect((await t.control("GET", "/requests")).json.total).toBe(0)
    })
  })
})
