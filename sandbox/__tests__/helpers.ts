// Test helpers: a started sandbox plus small fetch wrappers for the API and the control API.
import http from "node:http"
import type { AddressInfo } from "node:net"
import { startSandbox } from "../index"
import type { SandboxHandle, SandboxOptions } from "../types"

export interface Res<T = any> {
  status: number
  headers: Headers
  json: T
  text: string
}

export interface TestSandbox {
  sb: SandboxHandle
  token: string
  /** Authenticated API call with the privileged token (override via headers). */
  api<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Res<T>>
  /** Control API call. */
  control<T = any>(method: string, path: string, body?: unknown): Promise<Res<T>>
  close(): Promise<void>
}

export async function request(url: string, init: RequestInit = {}): Promise<Res> {
  const r = await fetch(url, { redirect: "manual", ...init })
  const text = await r.text()
  let json: unknown = undefined
  try {
    json = text ? JSON.parse(text) : undefined
  } catch {
    json = undefined
  }
  return { status: r.status, headers: r.headers, json, text }
}

export async function start(opts: SandboxOptions = {}): Promise<TestSandbox> {
  const sb = await startSandbox({ port: 0, ...opts })
  const token = sb.credentials.privilegedToken
  return {
    sb,
    token,
    api: (method, path, body, headers = {}) =>
      request(`${sb.url}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      }),
    control: (method, path, body) =>
      request(`${sb.url}/__sandbox${path}`, {
        method,
        headers: body === undefined ? {} : { "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    close: () => sb.close(),
  }
}

export interface Received {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
  body: string
}

/** A local webhook receiver; `respond` picks the status for each request. */
export async function receiver(respond: (req: Received, n: number) => number | Promise<number> = () => 200) {
  const received: Received[] = []
  const waiters: { n: number; resolve: () => void }[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", async () => {
      const r: Received = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      }
      received.push(r)
      const status = await respond(r, received.length)
      res.writeHead(status).end()
      for (const w of waiters.filter((w) => received.length >= w.n)) w.resolve()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Resolves once `n` requests have arrived (fails after `ms`). */
    waitFor(n: number, ms = 5000): Promise<void> {
      if (received.length >= n) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`expected ${n} webhook requests, got ${received.length}`)), ms)
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) })
      })
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Polls `fn` until it returns a truthy value (or throws after `ms`). */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, ms = 5000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > until) throw new Error("condition not met in time")
    await sleep(20)
  }
}

/** Creates an active order for the seeded Walk-in Customer (company 400001, address 500001). */
export async function createOrder(
  t: TestSandbox,
  lines: { variant_id?: number; quantity: number; [k: string]: unknown }[],
  extra: Record<string, unknown> = {}
) {
  const res = await t.api("POST", "/orders", {
    order: {
      company_id: 400001,
      shipping_address_id: 500001,
      issued_at: "2024-03-01",
      status: "active",
      order_line_items: lines,
      ...extra,
    },
  })
  if (res.status !== 201) throw new Error(`order create failed ${res.status} ${res.text}`)
  return res.json.order
}
