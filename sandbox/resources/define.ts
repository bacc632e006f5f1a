// The shape of a resource definition and the generic create/update/delete that
// every resource gets for free. A definition declares its fields, validation,
// serializer, filters and sideloads; the CRUD code in routes.ts is shared.
import { Errors, baseError } from "../conventions/errors"
import { parseDate, toBool, toList, toNumber, ts } from "../format"
import type { Row, Store } from "../store"
import type { Json, JsonObject, ResolvedOptions } from "../types"

/** The authenticated application/account/user a request runs as. */
export interface Caller {
  applicationId: number
  accountId: number
  userId: number
}

export interface Ctx {
  store: Store
  options: ResolvedOptions
  /** Base URL of this sandbox, e.g. http://127.0.0.1:4010 (used in resource_url, Link, images). */
  baseUrl: string
  caller: Caller
}

export type Op = "list" | "show" | "create" | "update" | "delete"

export type FieldType =
  | "string"
  | "int"
  | "decimal"
  | "bool"
  | "date" // YYYY-MM-DD
  | "datetime" // epoch ms
  | "strings" // string[] (comma string accepted)
  | "tags" // product tags: stored as a comma string, array accepted
  | "any"

export type Filter =
  { field?: string; type: "int" | "string" | "tags" | "array" } | ((row: Row, values: string[], ctx: Ctx) => boolean)

export interface Include {
  /** Plural of the included resource: the top-level key and the serializer used. */
  resource: string
  rows(primary: Row[], ctx: Ctx): Row[]
}

export interface ResourceDef {
  /** Singular root key, e.g. "product". */
  name: string
  /** Plural root key and URL segment, e.g. "products". Also the store table. */
  plural: string
  /** Class name used in 404 messages ("Couldn't find Product with 'id'=9"). */
  klass: string
  /** First id handed out (distinct ranges per table catch id mix-ups in clients). */
  idBase?: number
  ops: readonly Op[]

  /** Writable on create and update. */
  writable?: Record<string, FieldType>
  /** Writable on create only (e.g. product_id on variants). */
  createOnly?: Record<string, FieldType>
  required?: readonly string[]
  defaults?(ctx: Ctx, input: JsonObject): Record<string, unknown>
  /** Extra checks on the would-be row (create: existing undefined). */
  validate?(draft: Row, ctx: Ctx, errors: Errors, existing: Row | undefined, input: JsonObject): void
  /** Replace generic creation entirely (nested records, side effects). */
  create?(input: JsonObject, ctx: Ctx): Row
  /** Replace generic update entirely. */
  update?(row: Row, input: JsonObject, ctx: Ctx): void
  afterCreate?(row: Row, input: JsonObject, ctx: Ctx): void
  afterUpdate?(row: Row, input: JsonObject, ctx: Ctx, changed: boolean): void
  /** Replace the default soft delete (status "archived", or removal when the row has no status). */
  destroy?(row: Row, ctx: Ctx): void

  serialize(row: Row, ctx: Ctx): JsonObject

  /** Statuses hidden unless asked for with ?status= (default ["archived"]). */
  hiddenStatuses?: readonly string[]
  filters?: Record<string, Filter>
  /** Fields searched by ?q= (or a function giving the searchable text). */
  search?: readonly string[] | ((row: Row, ctx: Ctx) => string)
  /** Line-item style resources default to position order. */
  positioned?: boolean
  /** Emit the historical "meta":{"total":N} on lists (spec §2.1). */
  listMeta?: boolean

  includes?: Record<string, Include>
  /** Children that older endpoints always sideloaded (spec §2.1). */
  defaultIncludes?: readonly string[]
  /** false for orders: include only works on show (spec §2.5). */
  includeOnIndex?: boolean

  /** addresses answer PUT with 200 + body (spec §2.2). */
  updateReturnsBody?: boolean
  events?: { create?: string; update?: string; destroy?: string }

  /** Derived resources (stock_levels) supply their own rows. */
  rows?(ctx: Ctx): Row[]
  find?(id: string, ctx: Ctx): Row | undefined
}

export function define(def: ResourceDef): ResourceDef {
  return def
}

// ---------------------------------------------------------------------------
// Field coercion

const INVALID = Symbol("invalid")

function coerce(type: FieldType, value: Json): unknown {
  if (value === null) return null
  switch (type) {
    case "string":
      return typeof value === "object" ? INVALID : String(value)
    case "int": {
      if (value === "") return null
      const n = toNumber(value)
      return n === undefined || !Number.isInteger(n) ? INVALID : n
    }
    case "decimal": {
      if (value === "") return null
      const n = toNumber(value)
      return n === undefined ? INVALID : n
    }
    case "bool": {
      if (value === "") return null
      const b = toBool(value)
      return b === undefined ? INVALID : b
    }
    case "date": {
      if (value === "") return null
      return parseDate(value) ?? INVALID
    }
    case "datetime": {
      if (value === "") return null
      const t = typeof value === "number" ? value : Date.parse(String(value))
      return Number.isNaN(t) ? INVALID : t
    }
    case "strings":
      return toList(value)
    case "tags":
      return toList(value).join(",") || null
    case "any":
      return value
  }
}

const MESSAGES: Partial<Record<FieldType, string>> = {
  int: "is not a number",
  decimal: "is not a number",
  date: "is not a valid date",
  datetime: "is not a valid date",
}

/**
 * Copies the declared fields of `input` onto `target`, coercing types.
 * null never overrides a default on create, and never clears a boolean.
 * Returns true when any value changed.
 */
export function assignFields(
  target: Record<string, unknown>,
  input: JsonObject,
  fields: Record<string, FieldType>,
  errors: Errors,
  mode: "create" | "update"
): boolean {
  let changed = false
  for (const [key, type] of Object.entries(fields)) {
    if (!(key in input) || input[key] === undefined) continue
    const value = coerce(type, input[key])
    if (value === INVALID) {
      errors.add(key, MESSAGES[type] ?? "is invalid")
      continue
    }
    if (value === null && (mode === "create" || type === "bool")) continue
    if (JSON.stringify(target[key]) !== JSON.stringify(value)) changed = true
    target[key] = value
  }
  return changed
}

export function isBlank(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "string" && v.trim() === "") || (Array.isArray(v) && !v.length)
}

export function requirePresent(row: Record<string, unknown>, fields: readonly string[], errors: Errors): void {
  for (const f of fields) if (isBlank(row[f])) errors.add(f, "can't be blank")
}

// ---------------------------------------------------------------------------
// Generic CRUD

/** Builds and validates a would-be row without writing anything. */
export function prepareRecord(def: ResourceDef, input: JsonObject, ctx: Ctx, errors: Errors): Row {
  const draft = { ...(def.defaults?.(ctx, input) ?? {}) } as Row
  assignFields(draft, input, { ...def.writable, ...def.createOnly }, errors, "create")
  requirePresent(draft, def.required ?? [], errors)
  def.validate?.(draft, ctx, errors, undefined, input)
  return draft
}

/** Inserts a prepared row and runs the create hooks/events. */
export function insertPrepared(def: ResourceDef, draft: Row, input: JsonObject, ctx: Ctx): Row {
  const row = ctx.store.insert(def.plural, draft)
  def.afterCreate?.(row, input, ctx)
  if (def.events?.create) ctx.store.emit(def.events.create, def.plural, row.id)
  return row
}

export function createRecord(def: ResourceDef, input: JsonObject, ctx: Ctx): Row {
  if (def.create) return def.create(input, ctx)
  const errors = new Errors()
  const draft = prepareRecord(def, input, ctx, errors)
  errors.throwIfAny()
  return insertPrepared(def, draft, input, ctx)
}

export function updateRecord(def: ResourceDef, row: Row, input: JsonObject, ctx: Ctx): void {
  if (def.update) return def.update(row, input, ctx)
  const before = JSON.stringify(row)
  const draft = { ...row }
  const errors = new Errors()
  assignFields(draft, input, def.writable ?? {}, errors, "update")
  requirePresent(draft, def.required ?? [], errors)
  def.validate?.(draft, ctx, errors, row, input)
  errors.throwIfAny()
  const changed = JSON.stringify(draft) !== before
  if (changed) {
    Object.assign(row, draft)
    ctx.store.touch(row)
    if (def.events?.update) ctx.store.emit(def.events.update, def.plural, row.id)
  }
  def.afterUpdate?.(row, input, ctx, changed)
}

export function destroyRecord(def: ResourceDef, row: Row, ctx: Ctx): void {
  if (def.destroy) return def.destroy(row, ctx)
  if ("status" in row) {
    if (row.status !== "archived") {
      row.status = "archived"
      ctx.store.touch(row)
      if (def.events?.destroy) ctx.store.emit(def.events.destroy, def.plural, row.id)
    }
  } else {
    ctx.store.delete(def.plural, row.id)
    if (def.events?.destroy) ctx.store.emit(def.events.destroy, def.plural, row.id)
  }
}

// ---------------------------------------------------------------------------
// Helpers used by definitions

/** id, created_at, updated_at — the leading fields of (almost) every record. */
export const stamps = (row: Row) => ({ id: row.id, created_at: ts(row.created_at), updated_at: ts(row.updated_at) })

export const byPosition = (a: Row, b: Row) => (a.position ?? 0) - (b.position ?? 0) || Number(a.id) - Number(b.id)

/** Include helper for belongs_to: follow `fk` on each primary row. */
export const belongsTo = (resource: string, ...fks: string[]): Include => ({
  resource,
  rows: (primary, ctx) =>
    primary.flatMap((r) => fks.map((fk) => ctx.store.get(resource, r[fk]))).filter(Boolean) as Row[],
})

/** Include helper for has_many: rows of `resource` whose `fk` points at a primary row. */
export const hasMany = (resource: string, fk: string): Include => ({
  resource,
  rows: (primary, ctx) => primary.flatMap((r) => ctx.store.where(resource, fk, r.id)),
})

/** Looks up a referenced row, adding "can't be blank"/"is invalid" style errors. */
export function mustExist(
  ctx: Ctx,
  resource: string,
  id: unknown,
  field: string,
  errors: Errors,
  opts: { required?: boolean } = {}
): Row | undefined {
  if (isBlank(id)) {
    if (opts.required !== false) errors.add(field, "can't be blank")
    return undefined
  }
  const row = ctx.store.get(resource, id)
  if (!row) errors.add(field, "is invalid")
  return row
}

export function asObject(v: Json | undefined): JsonObject | undefined {
  return v && typeof v === "object" && !Array.isArray(v) ? v : undefined
}

export function asArray(v: Json | undefined, field: string): JsonObject[] {
  if (v === undefined || v === null) return []
  // Form-encoded bodies give {"0": {...}, "1": {...}}.
  const list = Array.isArray(v) ? v : typeof v === "object" ? Object.values(v) : null
  if (!list || list.some((x) => !asObject(x))) throw baseError(`${field} must be an array of objects`)
  return list as JsonObject[]
}
