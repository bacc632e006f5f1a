/**
 * Generic REST resources: root-key wrapping/unwrapping, sideloads, pagination, `ids[]`
 * batching. Capabilities follow the API: stock_levels are read-only, images cannot be
 * updated, accounts only expose `current`.
 */
import type { z } from "zod"
import { TradegeckoResponseError } from "./errors"
import {
  chunk,
  MAX_IDS_PER_REQUEST,
  MAX_PAGE_SIZE,
  paginate,
  parsePaginationHeader,
  type QueryValue,
} from "./pagination"
import {
  AccountSchema,
  MetaSchema,
  SIDELOAD_SCHEMAS,
  SINGULAR_SCHEMAS,
  type Account,
  type AccountUpdate,
  type Invoice,
  type Meta,
  type Order,
  type OrderAction,
  type OrderActionBody,
  type OrderCreate,
  type OrderUpdate,
  type Fulfillment,
  type Pagination,
  type Payment,
  type Sideloaded,
} from "./schemas"
import type { RawResponse, RequestOptions } from "./transport"

export type RecordId = number | string

/** What resources need from the client. */
export interface ResourceContext {
  request<T = unknown>(
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    opts?: RequestOptions
  ): Promise<RawResponse<T>>
  /** Validates a record against its schema (strict: throws; warn: logs and returns the input). */
  parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T
}

export interface ResourceDefinition<T> {
  /** URL path segment, e.g. "products". */
  path: string
  /** Root key of one record, e.g. "product", "address". */
  singular: string
  /** Root key of a collection, e.g. "products", "addresses", "companies". */
  plural: string
  schema: z.ZodType<T>
}

/**
 * An integer foreign-key filter: one id, an array (sent as the comma form `product_id=1,2`)
 * or an already comma-joined string.
 */
export type IdFilter = number | string | ReadonlyArray<number>

/** Filters shared by (almost) all index endpoints. Resource-specific filters go alongside. */
export interface CommonListParams {
  page?: number
  /** Page size, max 250 (API default 50; iteration defaults to 250). */
  limit?: number
  ids?: ReadonlyArray<RecordId>
  /** Sideloads, e.g. ["variants"] → `include=variants`. */
  include?: string | ReadonlyArray<string>
  created_at_min?: string | Date
  created_at_max?: string | Date
  updated_at_min?: string | Date
  updated_at_max?: string | Date
  /** e.g. "created_at desc", "updated_at asc". */
  order?: string
  status?: string | ReadonlyArray<string>
  q?: string
}
export type ListParams<F extends object = object> = CommonListParams & F & { [filter: string]: QueryValue }

export interface ProductFilters {
  brand?: string
  product_type?: string
  tags?: string
  sku?: string
}
export interface VariantFilters {
  product_id?: IdFilter
  sku?: string
}
export interface OrderFilters {
  company_id?: IdFilter
  order_number?: string
  reference_number?: string
  source_id?: string
  payment_status?: "unpaid" | "partial" | "paid"
  invoice_status?: "uninvoiced" | "partial" | "invoiced"
  packed_status?: "unpacked" | "partial" | "packed"
  fulfillment_status?: "unshipped" | "partial" | "shipped"
  tags?: string | ReadonlyArray<string>
}
export interface OrderChildFilters {
  order_id?: IdFilter
}
export interface CompanyChildFilters {
  company_id?: IdFilter
}
export interface CompanyFilters {
  company_code?: string
  company_type?: "business" | "supplier" | "consumer"
  email?: string
}
export interface ImageFilters {
  product_id?: IdFilter
  variant_id?: IdFilter
}
export interface StockLevelFilters {
  variant_id?: IdFilter
}

export interface ListPage<T> {
  items: T[]
  sideloaded: Sideloaded
  /** Parsed `X-Pagination`; may lack totals for `ids[]` lookups. */
  pagination: Pagination | undefined
  /** Legacy `meta` key if present (do not rely on it). */
  meta: Meta | undefined
  page: number
  limit: number
  requestId: string | undefined
}

export interface SingleResult<T> {
  record: T
  sideloaded: Sideloaded
  requestId: string | undefined
}

export interface GetOptions {
  include?: string | ReadonlyArray<string>
}
export interface WriteOptions {
  /** Sent as `Idempotency-Key`; makes a POST safe to retry and replays the original result. */
  idempotencyKey?: string
}
export interface UpdateOptions extends WriteOptions {
  /** Re-GET the record when the PUT answers 204 without a body (most resources). */
  refetch?: boolean
}
export interface PagesOptions {
  /** Stop after this many pages (safety net; default unlimited). */
  maxPages?: number
}
export interface GetManyOptions {
  include?: string | ReadonlyArray<string>
  /** Ids per request (default 100, max 250). */
  chunkSize?: number
  /** Extra filters, e.g. `{ status: ["active", "archived"] }`. */
  params?: Record<string, QueryValue>
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

function encodeId(id: RecordId): string {
  const s = String(id)
  if (s.length === 0) throw new TypeError("TradeGecko record id must not be empty")
  return encodeURIComponent(s)
}

/** Parses sideload keys (everything but the primary keys and `meta`). */
export function parseSideloads(
  ctx: ResourceContext,
  body: Record<string, unknown>,
  primaryKeys: ReadonlyArray<string>,
  where: string
): Sideloaded {
  const out: Sideloaded = {}
  for (const [key, value] of Object.entries(body)) {
    if (primaryKeys.includes(key) || key === "meta") continue
    const schema = (SIDELOAD_SCHEMAS as Record<string, z.ZodType<unknown>>)[key]
    out[key] =
      schema && Array.isArray(value) ? value.map((v, i) => ctx.parse(schema, v, `${where} ${key}[${i}]`)) : value
  }
  return out
}

export class ReadOnlyResource<T, F extends object = object> {
  constructor(
    protected readonly ctx: ResourceContext,
    readonly definition: ResourceDefinition<T>
  ) {}

  protected get basePath(): string {
    return `/${this.definition.path}`
  }

  /** One page: `GET /things?…` → `{ items, sideloaded, pagination }`. */
  async list(params: ListParams<F> = {} as ListParams<F>): Promise<ListPage<T>> {
    const res = await this.ctx.request("GET", this.basePath, { params: normalizeParams(params) })
    return this.parseList(res, params)
  }

  /**
   * Page-level iterator over every page (limit defaults to 250), stopping on
   * `X-Pagination.last_page`, `out_of_bounds` or an empty page.
   */
  pages(
    params: ListParams<F> = {} as ListParams<F>,
    opts: PagesOptions = {}
  ): AsyncGenerator<ListPage<T>, void, undefined> {
    const limit = clampLimit(params.limit ?? MAX_PAGE_SIZE)
    const startPage = params.page ?? 1
    return paginate((page) => this.list({ ...params, page, limit } as ListParams<F>), {
      startPage,
      limit,
      maxPages: opts.maxPages,
    })
  }

  /** Record-level iterator: `for await (const p of client.products.iterate({ updated_at_min }))`. */
  async *iterate(
    params: ListParams<F> = {} as ListParams<F>,
    opts: PagesOptions = {}
  ): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages(params, opts)) yield* page.items
  }

  /** Collects every page into an array. */
  async all(params: ListParams<F> = {} as ListParams<F>, opts: PagesOptions = {}): Promise<T[]> {
    const out: T[] = []
    for await (const page of this.pages(params, opts)) out.push(...page.items)
    return out
  }

  /** `total_records` for the filters (one request with limit=1); undefined if the header lacks it. */
  async count(params: ListParams<F> = {} as ListParams<F>): Promise<number | undefined> {
    const page = await this.list({ ...params, page: 1, limit: 1 } as ListParams<F>)
    return page.pagination?.total_records
  }

  /** `GET /things/:id[?include=…]` → the record. */
  async get(id: RecordId, opts: GetOptions = {}): Promise<T> {
    return (await this.getWithSideloads(id, opts)).record
  }

  /** `GET /things/:id?include=…` → record plus sideloaded keys. */
  async getWithSideloads(id: RecordId, opts: GetOptions = {}): Promise<SingleResult<T>> {
    const path = `${this.basePath}/${encodeId(id)}`
    const res = await this.ctx.request("GET", path, { params: normalizeParams({ include: opts.include }) })
    return this.parseSingle(res, "GET", path)
  }

  /**
   * Fetches many records by id with `ids[]` filters, at most `chunkSize` (100) ids per
   * request; each chunk is itself paginated. Missing ids are simply absent. Result order
   * follows `ids` (duplicates removed).
   */
  async getMany(ids: ReadonlyArray<RecordId>, opts: GetManyOptions = {}): Promise<T[]> {
    const size = Math.min(opts.chunkSize ?? MAX_IDS_PER_REQUEST, MAX_PAGE_SIZE)
    const unique = [...new Set(ids.map((id) => String(id)))]
    if (unique.length === 0) return []
    const numericIds = unique.map((s) => (/^\d+$/.test(s) ? Number(s) : s))
    const batches = await Promise.all(
      chunk(numericIds, size).map(async (batch) => {
        const found: T[] = []
        const params = { ...opts.params, ids: batch, include: opts.include } as ListParams<F>
        for await (const page of this.pages(params)) found.push(...page.items)
        return found
      })
    )
    const byId = new Map<string, T>()
    for (const record of batches.flat()) {
      const id = (record as { id?: unknown }).id
      if (id !== undefined) byId.set(String(id), record)
    }
    return unique.flatMap((id) => (byId.has(id) ? [byId.get(id) as T] : []))
  }

  protected parseList(res: RawResponse, params: CommonListParams): ListPage<T> {
    const { plural } = this.definition
    const where = `GET ${this.basePath}`
    const body = asObject(res.data)
    const rows = body?.[plural]
    if (!body || !Array.isArray(rows)) {
      throw new TradegeckoResponseError(
        `TradeGecko returned an unexpected body for ${where}: expected a "${plural}" array`,
        { method: "GET", path: this.basePath, status: res.status, requestId: res.requestId, body: res.data }
      )
    }
    const meta = body.meta === undefined ? undefined : MetaSchema.safeParse(body.meta)
    return {
      items: rows.map((row, i) => this.ctx.parse(this.definition.schema, row, `${where} ${plural}[${i}]`)),
      sideloaded: parseSideloads(this.ctx, body, [plural], where),
      pagination: parsePaginationHeader(res.headers["x-pagination"]),
      meta: meta?.success ? meta.data : undefined,
      page: params.page ?? 1,
      limit: params.limit ?? 50,
      requestId: res.requestId,
    }
  }

  protected parseSingle(res: RawResponse, method: string, path: string): SingleResult<T> {
    const { singular } = this.definition
    const body = asObject(res.data)
    const record = body?.[singular]
    if (!body || asObject(record) === undefined) {
      throw new TradegeckoResponseError(
        `TradeGecko returned an unexpected body for ${method} ${path}: expected a "${singular}" object`,
        { method, path, status: res.status, requestId: res.requestId, body: res.data }
      )
    }
    return {
      record: this.ctx.parse(this.definition.schema, record, `${method} ${path} ${singular}`),
      sideloaded: parseSideloads(this.ctx, body, [singular], `${method} ${path}`),
      requestId: res.requestId,
    }
  }
}

/** Resources that can be created and deleted but not updated (images). */
export class CreatableResource<T, C, F extends object = object> extends ReadOnlyResource<T, F> {
  /** `POST /things {"thing": body}` → 201 record. */
  async create(body: C, opts: WriteOptions = {}): Promise<T> {
    return (await this.createWithSideloads(body, opts)).record
  }

  async createWithSideloads(body: C, opts: WriteOptions = {}): Promise<SingleResult<T>> {
    const res = await this.ctx.request("POST", this.basePath, {
      data: { [this.definition.singular]: body },
      idempotencyKey: opts.idempotencyKey,
    })
    return this.parseSingle(res, "POST", this.basePath)
  }

  /** `DELETE /things/:id` → 204 (soft delete: status becomes "archived"; orders: deleted/void). */
  async delete(id: RecordId): Promise<void> {
    await this.ctx.request("DELETE", `${this.basePath}/${encodeId(id)}`)
  }
}

export class CrudResource<T, C, U = Partial<C>, F extends object = object> extends CreatableResource<T, C, F> {
  /**
   * `PUT /things/:id {"thing": body}`. Most resources answer 204 with no body → resolves
   * `undefined` (or the re-fetched record with `{ refetch: true }`); addresses answer 200
   * with the record, which is returned.
   */
  update(id: RecordId, body: U, opts: UpdateOptions & { refetch: true }): Promise<T>
  update(id: RecordId, body: U, opts?: UpdateOptions): Promise<T | undefined>
  async update(id: RecordId, body: U, opts: UpdateOptions = {}): Promise<T | undefined> {
    const path = `${this.basePath}/${encodeId(id)}`
    const res = await this.ctx.request("PUT", path, {
      data: { [this.definition.singular]: body },
      idempotencyKey: opts.idempotencyKey,
      replaySafe: this.isReplaySafeUpdate(body, opts),
    })
    const parsedBody = asObject(res.data)
    if (parsedBody && asObject(parsedBody[this.definition.singular])) return this.parseSingle(res, "PUT", path).record
    return opts.refetch ? this.get(id) : undefined
  }

  protected isReplaySafeUpdate(_body: U, _opts: UpdateOptions): boolean | undefined {
    return undefined // default: PUT is idempotent
  }
}

export interface OrderActionResult {
  /** The order after the action (the API returns it under "order"). */
  order: Order | undefined
  /** Records the action created or touched: the API returns them under plural keys
   * (`invoices`, `payments`, `fulfillments`); a singular key is accepted too. */
  invoices: Invoice[]
  payments: Payment[]
  fulfillments: Fulfillment[]
  sideloaded: Sideloaded
  status: number
  /** Raw body, for anything not modelled above. */
  body: unknown
}

export class OrdersResource extends CrudResource<Order, OrderCreate, OrderUpdate, OrderFilters> {
  /**
   * `POST /orders/:id/actions/:action` (invoice | pay | pack | fulfil | void) with an
   * optional body such as `{ payment: { payment_method_name: "Credit Card" } }`.
   * Not retried after an ambiguous failure unless an idempotencyKey is given.
   */
  async action<A extends OrderAction>(
    id: RecordId,
    action: A,
    body?: OrderActionBody<A>,
    opts: WriteOptions = {}
  ): Promise<OrderActionResult> {
    const path = `${this.basePath}/${encodeId(id)}/actions/${encodeURIComponent(action)}`
    const res = await this.ctx.request("POST", path, {
      data: body ?? {},
      idempotencyKey: opts.idempotencyKey,
    })
    const parsed = asObject(res.data) ?? {}
    const where = `POST ${path}`
    const sideloaded = parseSideloads(this.ctx, parsed, Object.keys(SINGULAR_SCHEMAS), where)
    const one = <K extends keyof typeof SINGULAR_SCHEMAS>(key: K): Array<z.output<(typeof SINGULAR_SCHEMAS)[K]>> =>
      asObject(parsed[key])
        ? [
            this.ctx.parse(
              SINGULAR_SCHEMAS[key] as unknown as z.ZodType<z.output<(typeof SINGULAR_SCHEMAS)[K]>>,
              parsed[key],
              `${where} ${key}`
            ),
          ]
        : []
    return {
      order: one("order")[0],
      invoices: [...(sideloaded.invoices ?? []), ...one("invoice")],
      payments: [...(sideloaded.payments ?? []), ...one("payment")],
      fulfillments: [...(sideloaded.fulfillments ?? []), ...one("fulfillment")],
      sideloaded,
      status: res.status,
      body: res.data,
    }
  }

  /** PUT with `order_line_items` APPENDS lines: only replay-safe with an Idempotency-Key. */
  protected override isReplaySafeUpdate(body: OrderUpdate, opts: UpdateOptions): boolean | undefined {
    const lines = (body as { order_line_items?: unknown[] }).order_line_items
    if (Array.isArray(lines) && lines.length > 0 && !opts.idempotencyKey) return false
    return undefined
  }
}

/** `/accounts/current` only. */
export class AccountsResource {
  constructor(private readonly ctx: ResourceContext) {}

  async current(): Promise<Account> {
    const res = await this.ctx.request("GET", "/accounts/current")
    const body = asObject(res.data)
    if (!body || !asObject(body.account)) {
      throw new TradegeckoResponseError(
        `TradeGecko returned an unexpected body for GET /accounts/current: expected an "account" object`,
        {
          method: "GET",
          path: "/accounts/current",
          status: res.status,
          requestId: res.requestId,
          body: res.data,
        }
      )
    }
    return this.ctx.parse(AccountSchema, body.account, "GET /accounts/current account")
  }

  /** `PUT /accounts/current` (204) — re-GETs and returns the account. */
  async updateCurrent(body: AccountUpdate): Promise<Account> {
    const res = await this.ctx.request("PUT", "/accounts/current", { data: { account: body } })
    const parsed = asObject(res.data)
    if (parsed && asObject(parsed.account))
      return this.ctx.parse(AccountSchema, parsed.account, "PUT /accounts/current account")
    return this.current()
  }
}

function clampLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be an integer ≥ 1 for iteration, got ${limit}`)
  return Math.min(limit, MAX_PAGE_SIZE)
}

/** Drops undefined values and turns `include` arrays into the comma form. */
function normalizeParams(params: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined) continue
    out[k] = k === "include" && Array.isArray(v) ? v.join(",") : v
  }
  return out
}
