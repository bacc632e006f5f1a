// The /__sandbox control API (the real API never had it): test hooks to reset
// data, move stock, ship/pay/void orders, inject faults, take the API down,
// inspect requests and webhook deliveries, tune the rate limit and the clock.
// No auth, JSON in/out, not logged, not rate limited. See README for the list.
import type http from "node:http"
import { ApiError, badRequest, Errors, notFound, recordNotFound } from "./conventions/errors"
import { createFulfillment, runAction, type ItemInput } from "./domain/orders"
import { settle } from "./domain/settle"
import { primaryLocationId, setOnHand } from "./domain/stock"
import { toNumber } from "./format"
import { parseBody, readBody } from "./http"
import { assignFields, destroyRecord, type FieldType, type ResourceDef } from "./resources/define"
import { RESOURCES, resource } from "./resources"
import type { Sandbox } from "./server"
import type { Row } from "./store"
import type { Json, JsonObject, SeedOptions } from "./types"

// 1×1 transparent PNG served for seeded images.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64"
)

const ENDPOINTS = [
  "POST   /__sandbox/reset {seed?: {products, variantsPerProduct, seed} | false}",
  "GET    /__sandbox/state",
  "POST   /__sandbox/variants/:id/stock {stock_on_hand, location_id?}",
  "POST   /__sandbox/products/:id/archive",
  "POST   /__sandbox/:resource/:id {field: value, ...}  (patch anything, read-only fields included)",
  "POST   /__sandbox/orders/:id/ship {tracking_number?, tracking_company?, tracking_url?, line_items?: [{order_line_item_id, quantity}]}",
  "POST   /__sandbox/orders/:id/pay",
  "POST   /__sandbox/orders/:id/void",
  "GET|POST|DELETE /__sandbox/faults {mode, rate?, count?, methods?, path?, hangMs?, delayMs?, seed?}",
  "POST   /__sandbox/down {mode?: 'reset'|'503'} · POST /__sandbox/up",
  "GET|DELETE /__sandbox/requests",
  "GET|DELETE /__sandbox/webhook-deliveries",
  "POST   /__sandbox/rate-limit {limit?, windowSeconds?}",
  "POST   /__sandbox/tokens/expire",
  "POST   /__sandbox/oauth/code {redirect_uri?}",
  "POST   /__sandbox/clock {advanceSeconds}",
  "GET    /__sandbox/images/:id/:file",
]

type Reply = { status?: number; body: Json }

function reply(res: http.ServerResponse, status: number, body: Json): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache" })
  res.end(text)
}

function findRow(def: ResourceDef, id: string, sb: Sandbox): Row {
  const row = def.find ? def.find(id, sb.ctx()) : sb.store.get(def.plural, id)
  if (!row) throw recordNotFound(def.klass, id)
  return row
}

const serialize = (sb: Sandbox, plural: string, row: Row): JsonObject => {
  const def = resource(plural) as ResourceDef
  return { [def.name]: def.serialize(row, sb.ctx()) }
}

/** Field types accepted by the generic patch (declared fields, plus read-only extras). */
function patchTypes(def: ResourceDef): Record<string, FieldType> {
  return { status: "string", created_at: "datetime", updated_at: "datetime", ...def.writable, ...def.createOnly }
}

function patchVariantStock(sb: Sandbox, variant: Row, body: JsonObject): void {
  if (body.stock_on_hand !== undefined) {
    const n = toNumber(body.stock_on_hand)
    if (n === undefined) throw badRequest("stock_on_hand must be a number")
    setOnHand(sb.store, variant, primaryLocationId(sb.store), n)
  }
  if (Array.isArray(body.locations)) {
    for (const loc of body.locations) {
      if (!loc || typeof loc !== "object" || Array.isArray(loc)) throw badRequest("locations must be objects")
      const locationId = Number(loc.location_id)
      if (!sb.store.get("locations", locationId)) throw badRequest(`unknown location ${String(loc.location_id)}`)
      const entry = (variant._stock as Row[]).find((e) => e.location_id === locationId)
      if (loc.stock_on_hand !== undefined) setOnHand(sb.store, variant, locationId, Number(loc.stock_on_hand))
      const target = entry ?? (variant._stock as Row[]).find((e) => e.location_id === locationId)
      if (target && loc.bin_location !== undefined) target.bin_location = loc.bin_location
      if (target && loc.reorder_point !== undefined) target.reorder_point = loc.reorder_point
    }
  }
}

function patch(sb: Sandbox, def: ResourceDef, row: Row, body: JsonObject): void {
  const errors = new Errors()
  const draft = { ...row }
  const types = patchTypes(def)
  assignFields(draft, body, types, errors, "update")
  errors.throwIfAny()
  // Undeclared fields the record already has are copied as given.
  for (const [key, value] of Object.entries(body))
    if (!(key in types) && key in row && key !== "id" && !key.startsWith("_")) draft[key] = value
  if (def.plural === "variants") {
    if ("variant_prices" in draft) delete draft.variant_prices
    patchVariantStock(sb, draft, body)
  }
  const explicitUpdatedAt = body.updated_at !== undefined
  Object.assign(row, draft)
  if (!explicitUpdatedAt) sb.store.touch(row)
  else sb.store.markWritten(row)
}

function route(sb: Sandbox, method: string, parts: string[], body: JsonObject): Reply {
  const ctx = sb.ctx()
  const [a, b, c] = parts
  const settleAndDispatch = () => {
    settle(sb.store)
    sb.webhooks.dispatch(sb.store.drainEvents())
  }

  if (!a && method === "GET") return { body: { endpoints: ENDPOINTS } }

  if (a === "reset" && method === "POST") {
    const seed = body.seed as SeedOptions | false | undefined
    sb.reset(seed === null ? undefined : seed)
    return { body: { ok: true, counts: counts(sb) } }
  }

  if (a === "state" && method === "GET") {
    return {
      body: {
        url: sb.baseUrl,
        now: new Date(sb.clock.now()).toISOString(),
        clockOffsetSeconds: sb.clock.offsetMs / 1000,
        counts: counts(sb),
        rateLimit: { limit: sb.limiter.limit, windowSeconds: sb.limiter.windowSeconds },
        down: sb.down,
        faults: sb.faults.list() as unknown as Json,
        requests: sb.log.snapshot().total,
        webhooks: { pending: sb.webhooks.pending, attempts: sb.webhooks.attempts.length },
      },
    }
  }

  if (a === "faults") {
    if (method === "GET") return { body: { faults: sb.faults.list() as unknown as Json } }
    if (method === "DELETE") {
      sb.faults.clear()
      return { body: { ok: true } }
    }
    if (method === "POST") return { status: 201, body: { fault: sb.faults.add(body) as unknown as Json } }
  }

  if (a === "down" && method === "POST") {
    const mode = body.mode ?? "reset"
    if (mode !== "reset" && mode !== "503") throw badRequest("mode must be reset or 503")
    sb.down = mode
    return { body: { down: mode } }
  }
  if (a === "up" && method === "POST") {
    sb.down = false
    return { body: { down: false } }
  }

  if (a === "requests") {
    if (method === "GET") return { body: sb.log.snapshot() as unknown as Json }
    if (method === "DELETE") {
      sb.log.clear()
      return { body: { ok: true } }
    }
  }

  if (a === "webhook-deliveries") {
    if (method === "GET")
      return {
        body: {
          total: sb.webhooks.attempts.length,
          pending: sb.webhooks.pending,
          deliveries: sb.webhooks.attempts as unknown as Json,
        },
      }
    if (method === "DELETE") {
      sb.webhooks.clearLog()
      return { body: { ok: true } }
    }
  }

  if (a === "rate-limit" && method === "POST") {
    const limit = body.limit === undefined ? sb.limiter.limit : Number(body.limit)
    const windowSeconds = body.windowSeconds === undefined ? sb.limiter.windowSeconds : Number(body.windowSeconds)
    if (!(Number.isInteger(limit) && limit >= 0) || !(Number.isInteger(windowSeconds) && windowSeconds > 0))
      throw badRequest("limit must be an integer >= 0 and windowSeconds an integer > 0")
    sb.limiter.configure(limit, windowSeconds)
    return { body: { limit, windowSeconds } }
  }

  if (a === "tokens" && b === "expire" && method === "POST") return { body: { expired: sb.oauth.expireAll() } }

  if (a === "oauth" && b === "code" && method === "POST") {
    const redirectUri = typeof body.redirect_uri === "string" ? body.redirect_uri : sb.options.credentials.redirectUri
    return { body: { code: sb.oauth.issueCode(redirectUri), redirect_uri: redirectUri } }
  }

  if (a === "clock" && method === "POST") {
    const seconds = Number(body.advanceSeconds ?? 0)
    if (!Number.isFinite(seconds)) throw badRequest("advanceSeconds must be a number")
    sb.clock.advance(seconds)
    return { body: { now: new Date(sb.clock.now()).toISOString(), offsetSeconds: sb.clock.offsetMs / 1000 } }
  }

  if (a === "variants" && b && c === "stock" && method === "POST") {
    const variant = findRow(resource("variants") as ResourceDef, b, sb)
    const value = toNumber(body.stock_on_hand)
    if (value === undefined) throw badRequest("stock_on_hand must be a number")
    const locationId =
      body.location_id === undefined || body.location_id === null
        ? primaryLocationId(sb.store)
        : Number(body.location_id)
    if (!sb.store.get("locations", locationId)) throw badRequest(`unknown location ${locationId}`)
    setOnHand(sb.store, variant, locationId, value)
    settleAndDispatch()
    return { body: serialize(sb, "variants", variant) }
  }

  if (a === "products" && b && c === "archive" && method === "POST") {
    const def = resource("products") as ResourceDef
    const product = findRow(def, b, sb)
    destroyRecord(def, product, ctx)
    settleAndDispatch()
    return { body: serialize(sb, "products", product) }
  }

  if (a === "orders" && b && c && method === "POST") {
    const order = findRow(resource("orders") as ResourceDef, b, sb)
    const out: JsonObject = {}
    if (c === "ship") {
      const items = Array.isArray(body.line_items) ? (body.line_items as unknown as ItemInput[]) : undefined
      const tracking: Record<string, unknown> = {}
      for (const k of ["tracking_number", "tracking_company", "tracking_url", "service", "notes"])
        if (typeof body[k] === "string") tracking[k] = body[k]
      const f = createFulfillment(ctx, order, items, "fulfilled", tracking)
      settleAndDispatch()
      out.fulfillment = (resource("fulfillments") as ResourceDef).serialize(f, sb.ctx())
    } else if (c === "pay" || c === "void") {
      const result = runAction(ctx, order, c, {})
      settleAndDispatch()
      for (const [plural, rows] of Object.entries(result.created)) {
        const d = resource(plural) as ResourceDef
        out[plural] = rows.map((r) => d.serialize(r, sb.ctx()))
      }
    } else throw notFound(`Unknown control action ${c}`)
    out.order = (resource("orders") as ResourceDef).serialize(order, sb.ctx())
    return { body: out }
  }

  if (a && b && !c && method === "POST") {
    const def = resource(a)
    if (!def || def.rows) throw notFound(`Unknown resource ${a}`)
    const row = findRow(def, b, sb)
    patch(sb, def, row, body)
    settleAndDispatch()
    return { body: serialize(sb, a, row) }
  }

  throw notFound(`No control endpoint ${method} /__sandbox/${parts.join("/")}`)
}

function counts(sb: Sandbox): Record<string, number> {
  return Object.fromEntries(RESOURCES.filter((d) => !d.rows).map((d) => [d.plural, sb.store.count(d.plural)]))
}

export async function handleControl(
  sb: Sandbox,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL
): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase()
  const parts = url.pathname
    .replace(/^\/__sandbox\/?/, "")
    .replace(/\/+$/, "")
    .split("/")
    .filter(Boolean)
  try {
    if (parts[0] === "images" && method === "GET") {
      res.writeHead(200, {
        "Content-Type": "image/png",
        "Content-Length": PNG.length,
        "Cache-Control": "public, max-age=86400",
      })
      res.end(PNG)
      return
    }
    const raw = await readBody(req)
    const body = parseBody(raw, req.headers["content-type"] ?? "application/json")
    const out = route(sb, method, parts, body)
    reply(res, out.status ?? 200, out.body)
  } catch (err) {
    if (err instanceof ApiError) return reply(res, err.status, err.body)
    console.error("[tradegecko-sandbox] control error", err)
    reply(res, 500, { type: "Internal Server Error", message: (err as Error).message })
  }
}
