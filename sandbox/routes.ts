// REST routing over the resource table (spec §2.2):
//   GET /things → list · GET /things/:id → show · POST /things → 201 ·
//   PUT /things/:id → 204 (addresses 200) · DELETE /things/:id → 204
// plus GET/PUT /accounts/current, GET /users/current,
// GET /orders/available_identifiers and POST /orders/:id/actions/:action.
import { badRequest, recordNotFound, routeNotFound } from "./conventions/errors"
import { sortRows, applyFilters } from "./conventions/filters"
import { linkHeader, paginate, parsePaging } from "./conventions/pagination"
import { sideload } from "./conventions/sideload"
import { ACTIONS, nextNumber, runAction, type ActionName } from "./domain/orders"
import { settle } from "./domain/settle"
import type { Query } from "./http"
import { createRecord, destroyRecord, updateRecord, type Ctx, type Op, type ResourceDef } from "./resources/define"
import { resource } from "./resources"
import { receivePurchaseOrder } from "./resources/purchase-order"
import { STOCK_TRANSFER_ACTIONS, stockTransferAction } from "./resources/stock-movement"
import type { Row } from "./store"
import type { Json, JsonObject } from "./types"

export interface ApiRequest {
  method: string
  /** Path without trailing slash or .json, split: ["products", "12"]. */
  segments: string[]
  /** Path as requested (kept for Link headers). */
  pathname: string
  query: Query
  rawQuery: string
  body: JsonObject
}

export interface ApiResult {
  status: number
  body?: Json
  headers?: Record<string, string>
}

function allow(def: ResourceDef, op: Op, req: ApiRequest): void {
  if (!def.ops.includes(op)) throw routeNotFound(req.method, req.pathname)
}

function rootObject(def: ResourceDef, body: JsonObject): JsonObject {
  const root = body[def.name]
  if (!root || typeof root !== "object" || Array.isArray(root))
    throw badRequest(`Required parameter missing: ${def.name}`)
  return root
}

function find(def: ResourceDef, id: string, ctx: Ctx): Row {
  const row = def.find ? def.find(id, ctx) : ctx.store.get(def.plural, id)
  if (!row) throw recordNotFound(def.klass, id)
  return row
}

export function list(def: ResourceDef, req: ApiRequest, ctx: Ctx): ApiResult {
  const paging = parsePaging(req.query)
  const all = def.rows ? def.rows(ctx) : ctx.store.all(def.plural)
  const rows = sortRows(def, applyFilters(def, all, req.query, ctx), req.query.order)
  const page = paginate(rows, paging)
  const body: JsonObject = {
    ...sideload(def, page.items, req.query, ctx, true),
    [def.plural]: page.items.map((r) => def.serialize(r, ctx)),
  }
  if (def.listMeta) body.meta = { total: rows.length }
  const headers: Record<string, string> = { "X-Pagination": JSON.stringify(page.header) }
  const link = linkHeader(`${ctx.baseUrl}${req.pathname}`, req.rawQuery, paging, page.totalPages)
  if (link) headers.Link = link
  return { status: 200, body, headers }
}

export function show(def: ResourceDef, row: Row, req: ApiRequest, ctx: Ctx): ApiResult {
  return { status: 200, body: { ...sideload(def, [row], req.query, ctx, false), [def.name]: def.serialize(row, ctx) } }
}

function create(def: ResourceDef, req: ApiRequest, ctx: Ctx): ApiResult {
  const row = createRecord(def, rootObject(def, req.body), ctx)
  settle(ctx.store)
  return {
    status: 201,
    body: { [def.name]: def.serialize(row, ctx) },
    headers: { Location: `${ctx.baseUrl}/${def.plural}/${row.id}` },
  }
}

function update(def: ResourceDef, row: Row, req: ApiRequest, ctx: Ctx): ApiResult {
  updateRecord(def, row, rootObject(def, req.body), ctx)
  settle(ctx.store)
  return def.updateReturnsBody ? { status: 200, body: { [def.name]: def.serialize(row, ctx) } } : { status: 204 }
}

function destroy(def: ResourceDef, row: Row, ctx: Ctx): ApiResult {
  destroyRecord(def, row, ctx)
  settle(ctx.store)
  return { status: 204 }
}

/** Dispatches one authenticated API request. Throws ApiError for 4xx answers. */
export function handleApi(req: ApiRequest, ctx: Ctx): ApiResult {
  const { method, segments } = req
  const [first, second, third, fourth] = segments

  if (first === "accounts" && second === "current" && segments.length === 2) {
    const def = resource("accounts") as ResourceDef
    const row = find(def, String(ctx.caller.accountId), ctx)
    if (method === "GET") return show(def, row, req, ctx)
    if (method === "PUT") return update(def, row, req, ctx)
    throw routeNotFound(method, req.pathname)
  }
  if (first === "users" && second === "current" && segments.length === 2 && method === "GET") {
    const def = resource("users") as ResourceDef
    return show(def, find(def, String(ctx.caller.userId), ctx), req, ctx)
  }
  if (first === "orders" && second === "available_identifiers" && segments.length === 2 && method === "GET") {
    return { status: 200, body: { identifier: nextNumber(ctx.store, "orders", "order_number", "SO") } }
  }
  if (
    (first === "stock_adjustments" || first === "stock_transfers") &&
    second === "available_identifiers" &&
    segments.length === 2 &&
    method === "GET"
  ) {
    return {
      status: 200,
      body: {
        identifier: nextNumber(ctx.store, first, "adjustment_number", first === "stock_adjustments" ? "SA" : "ST"),
      },
    }
  }
  if (first === "purchase_orders" && second === "available_identifiers" && segments.length === 2 && method === "GET") {
    return { status: 200, body: { identifier: nextNumber(ctx.store, "purchase_orders", "order_number", "PO") } }
  }
  if (first === "purchase_orders" && third === "actions" && segments.length === 4 && method === "POST") {
    if (fourth !== "receive") throw routeNotFound(method, req.pathname)
    const def = resource("purchase_orders") as ResourceDef
    const po = find(def, second, ctx)
    const proc = receivePurchaseOrder(ctx, po)
    settle(ctx.store)
    return {
      status: 200,
      body: {
        procurements: [(resource("procurements") as ResourceDef).serialize(proc, ctx)],
        purchase_order: def.serialize(po, ctx),
      },
    }
  }
  if (first === "stock_transfers" && third === "actions" && segments.length === 4 && method === "POST") {
    if (!(STOCK_TRANSFER_ACTIONS as readonly string[]).includes(fourth)) throw routeNotFound(method, req.pathname)
    const def = resource("stock_transfers") as ResourceDef
    const transfer = find(def, second, ctx)
    stockTransferAction(ctx, transfer, fourth)
    settle(ctx.store)
    return { status: 200, body: { stock_transfer: def.serialize(transfer, ctx) } }
  }
  if (first === "orders" && third === "actions" && segments.length === 4 && method === "POST") {
    if (!(ACTIONS as readonly string[]).includes(fourth)) throw routeNotFound(method, req.pathname)
    const def = resource("orders") as ResourceDef
    const order = find(def, second, ctx)
    const result = runAction(ctx, order, fourth as ActionName, req.body)
    settle(ctx.store)
    const body: JsonObject = {}
    for (const [plural, rows] of Object.entries(result.created)) {
      const d = resource(plural)
      if (d && rows.length) body[plural] = rows.map((r) => d.serialize(r, ctx))
    }
    body.order = def.serialize(order, ctx)
    return { status: 200, body }
  }

  const def = first ? resource(first) : undefined
  if (!def || segments.length > 2) throw routeNotFound(method, req.pathname)
  if (segments.length === 1) {
    const op = method === "GET" ? "list" : method === "POST" ? "create" : undefined
    if (!op) throw routeNotFound(method, req.pathname)
    allow(def, op, req)
    return op === "list" ? list(def, req, ctx) : create(def, req, ctx)
  }
  const op: Op | undefined = ({ GET: "show", PUT: "update", PATCH: "update", DELETE: "delete" } as const)[
    method as "GET" | "PUT" | "PATCH" | "DELETE"
  ]
  if (!op) throw routeNotFound(method, req.pathname)
  allow(def, op, req)
  const row = find(def, second, ctx)
  if (op === "show") return show(def, row, req, ctx)
  if (op === "update") return update(def, row, req, ctx)
  return destroy(def, row, ctx)
}
