/**
 * TradegeckoClient against the in-process TradeGecko sandbox. Assertions are made on the
 * sandbox's own request log (GET /__sandbox/requests), not only on return values.
 */
import http from "node:http"
import type { AddressInfo } from "node:net"
import axios, { type AxiosInstance } from "axios"
import { Sandbox, startSandbox } from "../../../../../sandbox"
import type { SandboxHandle } from "../../../../../sandbox"
import {
  TradegeckoBadRequestError,
  TradegeckoClient,
  TradegeckoConflictError,
  TradegeckoNotFoundError,
  TradegeckoUnauthorizedError,
  TradegeckoUnavailableError,
  TradegeckoValidationError,
  buildAuthorizeUrl,
  exchangeAuthorizationCode,
  refreshAccessToken,
  verifyWebhookSignature,
  parseWebhookNotification,
  type ProductCreate,
  type TradegeckoClientOptions,
  type TradegeckoTokens,
} from ".."

interface LogEntry {
  method: string
  path: string
  url: string
  status: number | null
  at: string
  idempotencyKey: string | null
}
interface RequestLogSnapshot {
  total: number
  counts: Record<string, number>
  entries: LogEntry[]
}

let sb: SandboxHandle
let control: AxiosInstance
const clients: TradegeckoClient[] = []

beforeAll(async () => {
  sb = await startSandbox({
    port: 0,
    seed: { products: 20, variantsPerProduct: 3, seed: 1 },
    rateLimit: { limit: 100_000, windowSeconds: 300 },
    accessTokenTtlSeconds: 7200,
  })
  control = axios.create({ baseURL: `${sb.url}/__sandbox`, validateStatus: () => true })
})

afterAll(async () => {
  await sb?.close()
})

beforeEach(async () => {
  await control.post("/reset", {})
  await control.post("/rate-limit", { limit: 100_000, windowSeconds: 300 })
})

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()))
})

function newClient(overrides: Partial<TradegeckoClientOptions> = {}, url = sb.url): TradegeckoClient {
  const client = new TradegeckoClient({
    baseUrl: url,
    auth: { type: "privileged", accessToken: sb.credentials.privilegedToken },
    retryBaseDelayMs: 10,
    timeoutMs: 5_000,
    ...overrides,
  })
  clients.push(client)
  return client
}

async function requestLog(): Promise<RequestLogSnapshot> {
  const res = await control.get<RequestLogSnapshot>("/requests")
  return res.data
}

async function clearLog(): Promise<void> {
  await control.delete("/requests")
}

async function addFault(rule: Record<string, unknown>): Promise<void> {
  const res = await control.post("/faults", rule)
  expect(res.status).toBe(201)
}

/** Goes through the real consent screen: GET authorize → POST approve → 302 ?code= → token exchange. */
async function authorize(): Promise<TradegeckoTokens> {
  const { clientId, clientSecret, redirectUri } = sb.credentials
  const page = await axios.get<string>(buildAuthorizeUrl({ baseUrl: sb.url, clientId, redirectUri, state: "s1" }), {
    responseType: "text",
  })
  const form = new URLSearchParams()
  const decode = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&")
  for (const m of page.data.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    form.set(m[1], decode(m[2]))
  expect(form.get("client_id")).toBe(clientId)
  form.set("decision", "approve")
  const approved = await axios.post(`${sb.url}/oauth/authorize`, form.toString(), {
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    maxRedirects: 0,
    validateStatus: () => true,
  })
  expect(approved.status).toBe(302)
  const location = new URL(String(approved.headers.location))
  expect(location.searchParams.get("state")).toBe("s1")
  const code = location.searchParams.get("code")
  expect(code).toBeTruthy()
  return exchangeAuthorizationCode({ baseUrl: sb.url, clientId, clientSecret, redirectUri, code: code as string })
}

function oauthClient(
  tokens: TradegeckoTokens,
  onTokens: (t: TradegeckoTokens) => void,
  extra: Partial<TradegeckoClientOptions> = {}
) {
  const { clientId, clientSecret, redirectUri } = sb.credentials
  return newClient({ auth: { type: "oauth", clientId, clientSecret, redirectUri, tokens }, onTokens, ...extra })
}

/** Max requests the sandbox counted in any one rate-limit window. */
function maxPerWindow(entries: LogEntry[], windowSeconds: number): number {
  const perWindow = new Map<number, number>()
  for (const e of entries) {
    const w = Math.floor(Date.parse(e.at) / 1000 / windowSeconds)
    perWindow.set(w, (perWindow.get(w) ?? 0) + 1)
  }
  return Math.max(0, ...perWindow.values())
}

describe("TradeGecko client against the sandbox", () => {
  // -------------------------------------------------------------------------------------------
  describe("1. rate-limit pacing", () => {
    it("paces a 60-call burst under a 30-per-2s limit with zero 429s", async () => {
      await control.post("/rate-limit", { limit: 30, windowSeconds: 2 }) // also resets the sandbox's counters
      await clearLog()
      const client = newClient({ concurrency: 4 })
      const results = await Promise.all(Array.from({ length: 60 }, () => client.products.list({ limit: 1 })))
      expect(results.every((r) => r.items.length === 1)).toBe(true)

      const log = await requestLog()
      expect(log.counts["GET /products"]).toBe(60)
      expect(log.entries.filter((e) => e.status === 429)).toHaveLength(0)
      expect(maxPerWindow(log.entries, 2)).toBeLessThanOrEqual(30)
      const stats = client.stats()
      expect(stats.rateLimited).toBe(0)
      expect(stats.requests).toBe(60)
      expect(stats.rateLimitWaits).toBeGreaterThanOrEqual(1)
    }, 30_000)

    it("a client starting inside an exhausted window absorbs only its first probe's 429 (an unpaced burst gets many)", async () => {
      await control.post("/rate-limit", { limit: 30, windowSeconds: 2 })
      // Control: the sandbox really enforces the limit — a raw burst gets 429s.
      const raw = await Promise.all(
        Array.from({ length: 40 }, () =>
          axios.get(`${sb.url}/products?limit=1`, {
            headers: { Authorization: `Bearer ${sb.credentials.privilegedToken}` },
            validateStatus: () => true,
          })
        )
      )
      expect(raw.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(10)
      await clearLog()

      // The client cannot know the window is used up until its first (single) probe answers.
      const client = newClient({ concurrency: 4 })
      const results = await Promise.all(Array.from({ length: 40 }, () => client.products.list({ limit: 1 })))
      expect(results).toHaveLength(40)
      const log = await requestLog()
      expect(log.entries.filter((e) => e.status === 429).length).toBeLessThanOrEqual(1)
      expect(log.entries.filter((e) => e.status === 200)).toHaveLength(40)
      expect(client.stats().failures).toBe(0)
    }, 30_000)

    it("real numbers: 600 calls against 300 per 300 s, window boundary brought near with the sandbox clock", async () => {
      // A dedicated sandbox whose Date header follows its (advanced) clock, as a real
      // server's does — the client converts X-Rate-Limit-Reset to local time with it.
      const own = new Sandbox({
        port: 0,
        seed: { products: 3, variantsPerProduct: 1, seed: 2 },
        rateLimit: { limit: 300, windowSeconds: 300 },
      })
      own.server.prependListener("request", (_req, res: http.ServerResponse) => {
        res.setHeader("Date", new Date(own.clock.now()).toUTCString())
      })
      await own.listen()
      try {
        // Put the sandbox 4 s before the end of a 300 s window.
        const nowSec = own.clock.now() / 1000
        own.clock.advance((((296 - (nowSec % 300)) % 300) + 300) % 300)
        own.log.clear()
        const client = newClient({ concurrency: 6 }, own.baseUrl)
        const started = Date.now()
        await Promise.all(Array.from({ length: 600 }, () => client.products.list({ limit: 1 })))
        const elapsed = Date.now() - started
        const log = own.log.snapshot()
        expect(log.counts["GET /products"]).toBe(600)
        expect(log.entries.filter((e) => e.status === 429)).toHaveLength(0)
        expect(maxPerWindow(log.entries, 300)).toBeLessThanOrEqual(300)
        expect(client.stats()).toMatchObject({ rateLimited: 0, requests: 600, rateLimitWaits: 1 })
        expect(elapsed).toBeLessThan(15_000)
      } finally {
        await own.close()
      }
    }, 30_000)

    it("waits out an injected 429 until X-Rate-Limit-Reset and retries without counting a failure", async () => {
      await control.post("/rate-limit", { limit: 1000, windowSeconds: 2 })
      await addFault({ mode: "429", count: 1, methods: ["GET"], path: "^/products$" })
      await clearLog()
      const client = newClient({ maxRetries: 0 }) // 429 handling does not use the retry budget
      const page = await client.products.list({ limit: 2 })
      expect(page.items).toHaveLength(2)

      const entries = (await requestLog()).entries.filter((e) => e.path === "/products")
      expect(entries.map((e) => e.status)).toEqual([429, 200])
      const resetMs = (Math.floor(Date.parse(entries[0].at) / 2000) + 1) * 2000
      expect(Date.parse(entries[1].at)).toBeGreaterThanOrEqual(resetMs)
      expect(client.stats()).toMatchObject({ rateLimited: 1, retries: 0, failures: 0 })
    }, 15_000)
  })

  // -------------------------------------------------------------------------------------------
  describe("2. retries", () => {
    it("retries a GET through two 503s (3 attempts in the log)", async () => {
      await addFault({ mode: "503", count: 2, methods: ["GET"], path: "^/products$" })
      await clearLog()
      const client = newClient()
      const page = await client.products.list({ limit: 5 })
      expect(page.items).toHaveLength(5)
      const entries = (await requestLog()).entries.filter((e) => e.method === "GET" && e.path === "/products")
      expect(entries.map((e) => e.status)).toEqual([503, 503, 200])
      expect(client.stats()).toMatchObject({ retries: 2, requests: 3 })
    })

    it("gives up after maxRetries with TradegeckoUnavailableError", async () => {
      await addFault({ mode: "500", methods: ["GET"], path: "^/products$" })
      await clearLog()
      const client = newClient({ maxRetries: 2 })
      const err = await client.products.list().catch((e: unknown) => e)
      expect(err).toBeInstanceOf(TradegeckoUnavailableError)
      expect((err as TradegeckoUnavailableError).status).toBe(500)
      expect((err as TradegeckoUnavailableError).attempts).toBe(3)
      expect((err as Error).message).toMatch(/^TradeGecko failed GET \/products \(500\) after 3 attempts/)
      expect((await requestLog()).counts["GET /products"]).toBe(3)
    })

    it("never retries a POST without Idempotency-Key after a 503", async () => {
      await addFault({ mode: "503", count: 1, methods: ["POST"], path: "^/products$" })
      await clearLog()
      const client = newClient()
      const before = await client.products.count()
      const err = await client.products.create({ name: "No key 503" }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(TradegeckoUnavailableError)
      expect((err as TradegeckoUnavailableError).status).toBe(503)
      const log = await requestLog()
      expect(log.counts["POST /products"]).toBe(1)
      expect(await client.products.count()).toBe(before)
    })

    it("retries a POST with Idempotency-Key after a 503 and creates exactly one record", async () => {
      await addFault({ mode: "503", count: 1, methods: ["POST"], path: "^/products$" })
      await clearLog()
      const client = newClient()
      const before = await client.products.count()
      const product = await client.products.create({ name: "Keyed 503" }, { idempotencyKey: "key-503-1" })
      expect(product.name).toBe("Keyed 503")
      const posts = (await requestLog()).entries.filter((e) => e.method === "POST")
      expect(posts.map((e) => [e.status, e.idempotencyKey])).toEqual([
        [503, "key-503-1"],
        [201, "key-503-1"],
      ])
      expect(await client.products.count()).toBe((before as number) + 1)
      const matches = (await client.products.all({ q: "Keyed 503" })).filter((p) => p.name === "Keyed 503")
      expect(matches).toHaveLength(1)
    })
  })

  // -------------------------------------------------------------------------------------------
  describe("3. OAuth tokens", () => {
    it("refreshes once (single flight) for 20 concurrent calls hitting 401, rotates and persists the refresh token", async () => {
      const tokens = await authorize()
      const onTokens = jest.fn(async (_t: TradegeckoTokens) => {
        await new Promise((r) => setTimeout(r, 20)) // persistence takes a moment
      })
      const client = oauthClient(tokens, onTokens)
      await client.products.list({ limit: 1 }) // token works
      expect((await control.post("/tokens/expire")).data.expired).toBeGreaterThanOrEqual(1)
      await clearLog()

      const pages = await Promise.all(Array.from({ length: 20 }, () => client.products.list({ limit: 1 })))
      expect(pages).toHaveLength(20)
      expect(pages.every((p) => p.items.length === 1)).toBe(true)

      const log = await requestLog()
      expect(log.counts["POST /oauth/token"]).toBe(1)
      const gets = log.entries.filter((e) => e.path === "/products")
      expect(gets.filter((e) => e.status === 200)).toHaveLength(20)
      expect(gets.filter((e) => e.status === 401).length).toBeGreaterThanOrEqual(1)
      expect(gets.filter((e) => e.status === 401).length).toBeLessThanOrEqual(4) // only those already in flight (concurrency 4)

      expect(onTokens).toHaveBeenCalledTimes(1)
      const rotated = onTokens.mock.calls[0][0]
      expect(rotated.refreshToken).not.toBe(tokens.refreshToken)
      expect(rotated.accessToken).not.toBe(tokens.accessToken)
      expect(rotated.expiresAt).toBeGreaterThan(Date.now() + 7000 * 1000)
      expect(client.getTokens()).toEqual(rotated)
      expect(client.stats().refreshes).toBe(1)

      // The old refresh token is dead now.
      const { clientId, clientSecret, redirectUri } = sb.credentials
      const stale = await refreshAccessToken({
        baseUrl: sb.url,
        clientId,
        clientSecret,
        redirectUri,
        refreshToken: tokens.refreshToken,
      }).catch((e: unknown) => e)
      expect(stale).toBeInstanceOf(TradegeckoUnauthorizedError)
      expect((stale as TradegeckoUnauthorizedError).status).toBe(401)
    })

    it("refreshes proactively (expiresAt < now + 30 s) once for 50 concurrent calls, without any 401", async () => {
      const tokens = await authorize()
      const onTokens = jest.fn()
      const client = oauthClient({ ...tokens, expiresAt: Date.now() + 10_000 }, onTokens)
      await clearLog()
      await Promise.all(Array.from({ length: 50 }, () => client.variants.list({ limit: 1 })))
      const log = await requestLog()
      expect(log.counts["POST /oauth/token"]).toBe(1)
      expect(log.counts["GET /variants"]).toBe(50)
      expect(log.entries.filter((e) => e.status === 401)).toHaveLength(0)
      expect(onTokens).toHaveBeenCalledTimes(1)
    })

    it("surfaces a refused refresh as TradegeckoUnauthorizedError and does not hammer the token endpoint", async () => {
      const tokens = await authorize()
      const client = oauthClient({ ...tokens, refreshToken: "revoked-or-unknown" }, jest.fn())
      await control.post("/tokens/expire")
      await clearLog()
      const first = await client.products.list().catch((e: unknown) => e)
      expect(first).toBeInstanceOf(TradegeckoUnauthorizedError)
      expect((first as Error).message).toMatch(/refresh the access token.*re-authorized/)
      const second = await client.products.list().catch((e: unknown) => e)
      expect(second).toBeInstanceOf(TradegeckoUnauthorizedError)
      expect((await requestLog()).counts["POST /oauth/token"]).toBe(1)
    })
  })

  // -------------------------------------------------------------------------------------------
  describe("4. idempotent POST replay", () => {
    it("two creates with the same key return the same record and create one", async () => {
      const client = newClient()
      const before = (await client.products.count()) as number
      await clearLog()
      const body: ProductCreate = { name: "Replay me", brand: "Gecko" }
      const a = await client.products.create(body, { idempotencyKey: "replay-1" })
      const b = await client.products.create(body, { idempotencyKey: "replay-1" })
      expect(b.id).toBe(a.id)
      expect((await requestLog()).counts["POST /products"]).toBe(2)
      expect(await client.products.count()).toBe(before + 1)
    })

    it("the same key with a different body is a TradegeckoConflictError (409)", async () => {
      const client = newClient()
      await client.products.create({ name: "First" }, { idempotencyKey: "conflict-1" })
      const err = await client.products
        .create({ name: "Second" }, { idempotencyKey: "conflict-1" })
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(TradegeckoConflictError)
      expect((err as TradegeckoConflictError).status).toBe(409)
      expect((err as Error).message).toBe(
        "TradeGecko rejected POST /products (409): Duplicate Idempotency Key header detected"
      )
    })
  })

  // -------------------------------------------------------------------------------------------
  describe("5. typed errors", () => {
    it("an error, printed in full as a logger would (cause included), never contains the access token", async () => {
      const { inspect } = await import("node:util")
      const client = newClient({ maxRetries: 0, timeoutMs: 300 })
      await control.post("/faults", { mode: "hang", hangMs: 2000, count: 1 })
      const timeout = await client.products.list({ limit: 1 }).catch((e: unknown) => e)
      const rejected = await client.products.get(987654321).catch((e: unknown) => e)
      for (const err of [timeout, rejected]) {
        expect(err).toBeInstanceOf(Error)
        const printed = inspect(err, { depth: 20 }) + JSON.stringify(err) + JSON.stringify((err as Error).cause ?? null)
        expect(printed).not.toContain(sb.credentials.privilegedToken)
        expect(printed).not.toMatch(/authorization/i)
      }
      expect((timeout as Error).cause).toMatchObject({ name: "TransportError" })
    })

    it("422 → TradegeckoValidationError with fields", async () => {
      const client = newClient()
      const err = await client.products
        .create({ description: "nameless" } as unknown as ProductCreate)
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(TradegeckoValidationError)
      const v = err as TradegeckoValidationError
      expect(v.status).toBe(422)
      expect(v.method).toBe("POST")
      expect(v.path).toBe("/products")
      expect(v.fields.name).toContain("can't be blank")
      expect(v.requestId).toMatch(/[0-9a-f-]{36}/)
      expect(v.message).toMatch(/^TradeGecko rejected POST \/products \(422\): .*name can't be blank/)
    })

    it("404 → TradegeckoNotFoundError, 400 → TradegeckoBadRequestError, neither retried", async () => {
      const client = newClient()
      await clearLog()
      const nf = await client.products.get(987654321).catch((e: unknown) => e)
      expect(nf).toBeInstanceOf(TradegeckoNotFoundError)
      expect((nf as TradegeckoNotFoundError).path).toBe("/products/987654321")
      expect((nf as Error).message).toMatch(/^TradeGecko rejected GET \/products\/987654321 \(404\): /)
      const bad = await client.request("POST", "/invoices", { data: {} }).catch((e: unknown) => e)
      expect(bad).toBeInstanceOf(TradegeckoBadRequestError)
      expect((bad as Error).message).toMatch(/\(400\): .*invoice/)
      const log = await requestLog()
      expect(log.counts["GET /products/:id"]).toBe(1)
      expect(log.counts["POST /invoices"]).toBe(1)
    })

    it("bad privileged token → TradegeckoUnauthorizedError after one attempt, no token call", async () => {
      const client = newClient({ auth: { type: "privileged", accessToken: "not-a-token" } })
      await clearLog()
      const err = await client.products.list().catch((e: unknown) => e)
      expect(err).toBeInstanceOf(TradegeckoUnauthorizedError)
      expect((err as TradegeckoUnauthorizedError).status).toBe(401)
      const log = await requestLog()
      expect(log.total).toBe(1)
      expect(log.counts["POST /oauth/token"]).toBeUndefined()
    })
  })

  // -------------------------------------------------------------------------------------------
  describe("6. pagination, ids[] batching, timeouts, resources", () => {
    it("iterates every product page by page and stops on last_page", async () => {
      const client = newClient()
      const total = (await client.products.count()) as number
      expect(total).toBeGreaterThan(7 * 2) // several pages
      await clearLog()

      const pageSizes: number[] = []
      for await (const page of client.products.pages({ limit: 7 })) {
        expect(page.items.length).toBeLessThanOrEqual(7)
        pageSizes.push(page.items.length)
      }
      const ids: number[] = []
      for await (const p of client.products.iterate({ limit: 7, updated_at_min: new Date(0) })) ids.push(p.id)
      expect(new Set(ids).size).toBe(total)
      expect(pageSizes.reduce((a, b) => a + b, 0)).toBe(total)

      const log = await requestLog()
      const expectedPages = Math.ceil(total / 7)
      expect(log.counts["GET /products"]).toBe(2 * expectedPages) // no extra request past the last page
      expect(log.entries.some((e) => e.url.includes("updated_at_min=1970-01-01T00:00:00.000Z"))).toBe(true)
    })

    it("stops on an empty page and copes with a header without totals", async () => {
      const client = newClient()
      await clearLog()
      const none = await client.products.all({ updated_at_min: "2999-01-01T00:00:00Z" })
      expect(none).toEqual([])
      expect((await requestLog()).counts["GET /products"]).toBe(1)
    })

    it("getMany splits ids[] into chunks and keeps the input order", async () => {
      const client = newClient()
      const variants = await client.variants.all()
      expect(variants.length).toBeGreaterThan(50)
      const ids = variants.map((v) => v.id).reverse()
      await clearLog()
      const found = await client.variants.getMany([...ids, 999_999_999], { chunkSize: 25 })
      expect(found.map((v) => v.id)).toEqual(ids)
      const log = await requestLog()
      expect(log.counts["GET /variants"]).toBe(Math.ceil((ids.length + 1) / 25))
      for (const e of log.entries) {
        const n = (e.url.match(/ids(\[\]|%5B%5D)=/g) ?? []).length
        expect(n).toBeGreaterThan(0)
        expect(n).toBeLessThanOrEqual(25)
      }
      await clearLog()
      await client.variants.getMany(ids) // default 100 per request
      expect((await requestLog()).counts["GET /variants"]).toBe(1)
    })

    it("retries a GET that hangs past timeoutMs; a hanging POST without key is not retried", async () => {
      await addFault({ mode: "hang", count: 1, methods: ["GET"], path: "^/products$", hangMs: 5_000 })
      await addFault({ mode: "hang", count: 1, methods: ["POST"], path: "^/products$", hangMs: 5_000 })
      await clearLog()
      const client = newClient({ timeoutMs: 300 })
      const page = await client.products.list({ limit: 3 })
      expect(page.items).toHaveLength(3)
      const err = await client.products.create({ name: "Hang no key" }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(TradegeckoUnavailableError)
      expect((err as TradegeckoUnavailableError).code).toBe("ETIMEDOUT")
      expect((err as Error).message).toBe("TradeGecko did not answer POST /products within 300 ms")
      const log = await requestLog()
      expect(log.counts["GET /products"]).toBe(2)
      expect(log.counts["POST /products"]).toBe(1)
      expect(client.stats().retries).toBe(1)
    })

    it("a keyed POST that times out is retried and creates one record", async () => {
      await addFault({ mode: "hang", count: 1, methods: ["POST"], path: "^/products$", hangMs: 5_000 })
      const client = newClient({ timeoutMs: 300 })
      const before = (await client.products.count()) as number
      await clearLog()
      const p = await client.products.create({ name: "Hang with key" }, { idempotencyKey: "hang-key-1" })
      expect(p.id).toEqual(expect.any(Number))
      expect((await requestLog()).counts["POST /products"]).toBe(2)
      expect(await client.products.count()).toBe(before + 1)
    })

    it("unwraps sideloads, PUT 204 vs address 200, and order actions", async () => {
      const client = newClient()
      const [product] = (await client.products.list({ limit: 1 })).items
      const withVariants = await client.products.getWithSideloads(product.id, { include: ["variants"] })
      expect(withVariants.record.id).toBe(product.id)
      expect(withVariants.sideloaded.variants?.length).toBe(3)
      expect(withVariants.sideloaded.variants?.every((v) => v.product_id === product.id)).toBe(true)

      await clearLog()
      expect(await client.products.update(product.id, { brand: "Renamed" })).toBeUndefined()
      const refetched = await client.products.update(product.id, { brand: "Renamed 2" }, { refetch: true })
      expect(refetched.brand).toBe("Renamed 2")
      const log = await requestLog()
      expect(log.counts["PUT /products/:id"]).toBe(2)
      expect(log.counts["GET /products/:id"]).toBe(1)

      const company = await client.companies.create({ name: "Client Test Co", company_type: "business" })
      const address = await client.addresses.create({
        company_id: company.id,
        address1: "1 Test St",
        label: "Shipping",
      })
      const updatedAddress = await client.addresses.update(address.id, { city: "Singapore" })
      expect(updatedAddress?.city).toBe("Singapore")

      const [variant] = withVariants.sideloaded.variants ?? []
      const order = await client.orders.create(
        {
          company_id: company.id,
          shipping_address_id: address.id,
          issued_at: "2024-01-02",
          status: "finalized",
          order_line_items: [{ variant_id: variant.id, quantity: "1", price: "10.0" }],
        },
        { idempotencyKey: "order-1" }
      )
      expect(order.order_line_item_ids).toHaveLength(1)
      const invoiced = await client.orders.action(order.id, "invoice", undefined, { idempotencyKey: "order-1-invoice" })
      expect(invoiced.order?.invoice_status).toBe("invoiced")
      expect(invoiced.invoices).toHaveLength(1)
      expect(invoiced.invoices[0].order_id).toBe(order.id)
      const account = await client.accounts.current()
      expect(account.id).toEqual(expect.any(Number))
    })
  })

  // -------------------------------------------------------------------------------------------
  describe("7. webhook signatures from real sandbox deliveries", () => {
    it("verifies X-Gecko-Signature of a delivered notification; tampering or a wrong secret fails", async () => {
      const received: Array<{ body: Buffer; signature: string }> = []
      const receiver = http.createServer((req, res) => {
        const chunks: Buffer[] = []
        req.on("data", (c: Buffer) => chunks.push(c))
        req.on("end", () => {
          received.push({ body: Buffer.concat(chunks), signature: String(req.headers["x-gecko-signature"] ?? "") })
          res.writeHead(200).end()
        })
      })
      await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r))
      try {
        const port = (receiver.address() as AddressInfo).port
        const client = newClient()
        await client.webhooks.create({ event: "product.create", address: `http://127.0.0.1:${port}/hooks` })
        const product = await client.products.create({ name: "Webhook product" })
        for (let i = 0; i < 50 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50))
        expect(received).toHaveLength(1)
        const { body, signature } = received[0]
        expect(verifyWebhookSignature(body, signature, sb.credentials.clientSecret)).toBe(true)
        expect(verifyWebhookSignature(body, signature, "wrong-secret")).toBe(false)
        expect(
          verifyWebhookSignature(
            Buffer.from(body.toString().replace(String(product.id), "1")),
            signature,
            sb.credentials.clientSecret
          )
        ).toBe(false)
        const note = parseWebhookNotification(body)
        expect(note).toMatchObject({ event: "product.create", object_id: product.id })
      } finally {
        await new Promise((r) => receiver.close(r))
      }
    })
  })
})
