/**
 * TradeGecko REST client (no Medusa imports — usable from scripts, benchmarks, tests).
 *
 *   const client = new TradegeckoClient({
 *     baseUrl: "http://127.0.0.1:4010",
 *     auth: { type: "oauth", clientId, clientSecret, redirectUri, tokens },
 *     onTokens: (t) => store.save(t),
 *   })
 *   for await (const product of client.products.iterate({ updated_at_min })) …
 *
 * One instance = one OAuth application × account: the rate-limit pacer and the token
 * refresh are shared by every call made through it.
 */
import type { Method } from "axios"
import { TradegeckoResponseError } from "./errors"
import { normalizeLogger, type TradegeckoLogger } from "./logger"
import { TokenManager, type TradegeckoTokens } from "./oauth"
import { resolveClientOptions, type ResolvedClientOptions, type TradegeckoClientOptions } from "./client-options"
import { RatePacer, type RateLimitState } from "./pacing"
import {
  AccountsResource,
  CreatableResource,
  CrudResource,
  OrdersResource,
  ReadOnlyResource,
  type CompanyChildFilters,
  type CompanyFilters,
  type ImageFilters,
  type OrderChildFilters,
  type ProductFilters,
  type ResourceContext,
  type ResourceDefinition,
  type StockLevelFilters,
  type VariantFilters,
} from "./resources"
import {
  AddressSchema,
  CompanySchema,
  ContactSchema,
  CurrencySchema,
  FulfillmentReturnSchema,
  FulfillmentSchema,
  ImageSchema,
  InvoiceSchema,
  LocationSchema,
  OrderLineItemSchema,
  OrderSchema,
  PaymentSchema,
  PriceListSchema,
  ProductSchema,
  StockLevelSchema,
  TaxTypeSchema,
  VariantSchema,
  WebhookSchema,
  type Address,
  type AddressCreate,
  type AddressUpdate,
  type Company,
  type CompanyCreate,
  type CompanyUpdate,
  type Contact,
  type ContactCreate,
  type ContactUpdate,
  type Currency,
  type CurrencyCreate,
  type Fulfillment,
  type FulfillmentCreate,
  type FulfillmentReturn,
  type FulfillmentReturnCreate,
  type FulfillmentUpdate,
  type Image,
  type ImageCreate,
  type Invoice,
  type InvoiceCreate,
  type Location,
  type LocationCreate,
  type OrderLineItem,
  type OrderLineItemCreate,
  type OrderLineItemUpdate,
  type Payment,
  type PaymentCreate,
  type PriceList,
  type PriceListCreate,
  type Product,
  type ProductCreate,
  type ProductUpdate,
  type StockLevel,
  type TaxType,
  type TaxTypeCreate,
  type Variant,
  type VariantCreate,
  type VariantUpdate,
  type Webhook,
  type WebhookCreate,
  type WebhookUpdate,
} from "./schemas"
import { Transport, type ClientStats, type RawResponse, type RequestOptions } from "./transport"
import type { z } from "zod"

function def<T>(path: string, singular: string, schema: z.ZodType<T>, plural = path): ResourceDefinition<T> {
  return { path, singular, plural, schema }
}

export class TradegeckoClient {
  readonly options: Readonly<
    Omit<ResolvedClientOptions, "auth" | "onTokens" | "refreshCoordinator" | "logger" | "rateBudget">
  >
  readonly baseUrl: string

  readonly products: CrudResource<Product, ProductCreate, ProductUpdate, ProductFilters>
  readonly variants: CrudResource<Variant, VariantCreate, VariantUpdate, VariantFilters>
  readonly images: CreatableResource<Image, ImageCreate, ImageFilters>
  readonly priceLists: CrudResource<PriceList, PriceListCreate>
  readonly locations: CrudResource<Location, LocationCreate>
  readonly stockLevels: ReadOnlyResource<StockLevel, StockLevelFilters>
  readonly companies: CrudResource<Company, CompanyCreate, CompanyUpdate, CompanyFilters>
  readonly addresses: CrudResource<Address, AddressCreate, AddressUpdate, CompanyChildFilters>
  readonly contacts: CrudResource<Contact, ContactCreate, ContactUpdate, CompanyChildFilters>
  readonly currencies: CrudResource<Currency, CurrencyCreate>
  readonly taxTypes: CrudResource<TaxType, TaxTypeCreate>
  readonly orders: OrdersResource
  readonly orderLineItems: CrudResource<OrderLineItem, OrderLineItemCreate, OrderLineItemUpdate, OrderChildFilters>
  readonly fulfillments: CrudResource<Fulfillment, FulfillmentCreate, FulfillmentUpdate, OrderChildFilters>
  readonly fulfillmentReturns: CrudResource<
    FulfillmentReturn,
    FulfillmentReturnCreate,
    Partial<FulfillmentReturnCreate>,
    OrderChildFilters
  >
  readonly invoices: CrudResource<Invoice, InvoiceCreate, Partial<InvoiceCreate>, OrderChildFilters>
  readonly payments: CrudResource<Payment, PaymentCreate>
  readonly webhooks: CrudResource<Webhook, WebhookCreate, WebhookUpdate>
  readonly accounts: AccountsResource

  private readonly logger: TradegeckoLogger
  private readonly auth: TokenManager
  private readonly pacer: RatePacer
  private readonly transport: Transport
  private readonly counters: ClientStats = {
    requests: 0,
    retries: 0,
    rateLimited: 0,
    rateLimitWaits: 0,
    rateLimitWaitMs: 0,
    rateLimitRefused: 0,
    refreshes: 0,
    unauthorized: 0,
    failures: 0,
  }

  /** @throws TradegeckoConfigurationError when options are invalid. */
  constructor(options: TradegeckoClientOptions) {
    const o = resolveClientOptions(options)
    const { auth, onTokens, refreshCoordinator, logger, rateBudget, ...rest } = o
    this.options = Object.freeze(rest)
    this.baseUrl = o.baseUrl
    this.logger = normalizeLogger(logger)

    this.auth = new TokenManager(
      auth.type === "privileged"
        ? { kind: "privileged", accessToken: auth.accessToken }
        : {
            kind: "oauth",
            endpoint: {
              baseUrl: o.baseUrl,
              clientId: auth.clientId,
              clientSecret: auth.clientSecret,
              redirectUri: auth.redirectUri,
              timeoutMs: o.timeoutMs,
            },
            tokens: auth.tokens,
            onTokens,
            refreshCoordinator,
            refreshSkewMs: o.refreshSkewMs,
            logger: this.logger,
            onRefreshed: () => {
              this.counters.refreshes++
            },
          }
    )
    this.pacer = new RatePacer({
      concurrency: o.concurrency,
      reserve: o.rateLimitReserve,
      checkoutShare: o.rateLimitCheckoutShare,
      failFast: o.failFastOnRateLimit,
      budget: rateBudget,
      budgetKey: o.rateBudgetKey,
      resetMarginMs: o.rateLimitResetMarginMs,
      maxWaitMs: o.rateLimitMaxWaitMs,
      fallbackWaitMs: Math.max(o.retryBaseDelayMs * 4, 1000),
      logger: this.logger,
    })
    this.transport = new Transport({
      baseUrl: o.baseUrl,
      timeoutMs: o.timeoutMs,
      maxRetries: o.maxRetries,
      retryBaseDelayMs: o.retryBaseDelayMs,
      maxRetryDelayMs: o.maxRetryDelayMs,
      maxRateLimitRetries: o.maxRateLimitRetries,
      userAgent: o.userAgent,
      logger: this.logger,
      pacer: this.pacer,
      auth: this.auth,
      stats: this.counters,
    })

    const ctx: ResourceContext = {
      request: (method, path, opts) => this.transport.request(method, path, opts),
      parse: (schema, value, where) => this.parseRecord(schema, value, where),
    }
    this.products = new CrudResource(ctx, def("products", "product", ProductSchema))
    this.variants = new CrudResource(ctx, def("variants", "variant", VariantSchema))
    this.images = new CreatableResource(ctx, def("images", "image", ImageSchema))
    this.priceLists = new CrudResource(ctx, def("price_lists", "price_list", PriceListSchema))
    this.locations = new CrudResource(ctx, def("locations", "location", LocationSchema))
    this.stockLevels = new ReadOnlyResource(ctx, def("stock_levels", "stock_level", StockLevelSchema))
    this.companies = new CrudResource(ctx, def("companies", "company", CompanySchema))
    this.addresses = new CrudResource(ctx, def("addresses", "address", AddressSchema))
    this.contacts = new CrudResource(ctx, def("contacts", "contact", ContactSchema))
    this.currencies = new CrudResource(ctx, def("currencies", "currency", CurrencySchema))
    this.taxTypes = new CrudResource(ctx, def("tax_types", "tax_type", TaxTypeSchema))
    this.orders = new OrdersResource(ctx, def("orders", "order", OrderSchema))
    this.orderLineItems = new CrudResource(ctx, def("order_line_items", "order_line_item", OrderLineItemSchema))
    this.fulfillments = new CrudResource(ctx, def("fulfillments", "fulfillment", FulfillmentSchema))
    this.fulfillmentReturns = new CrudResource(
      ctx,
      def("fulfillment_returns", "fulfillment_return", FulfillmentReturnSchema)
    )
    this.invoices = new CrudResource(ctx, def("invoices", "invoice", InvoiceSchema))
    this.payments = new CrudResource(ctx, def("payments", "payment", PaymentSchema))
    this.webhooks = new CrudResource(ctx, def("webhooks", "webhook", WebhookSchema))
    this.accounts = new AccountsResource(ctx)
  }

  /**
   * Low-level escape hatch: any path, same pacing/auth/retries/errors. `data` is sent as
   * given (wrap it in its root key yourself).
   */
  request<T = unknown>(method: Method, path: string, opts?: RequestOptions): Promise<RawResponse<T>> {
    return this.transport.request<T>(method, path, opts)
  }

  /** Counters for benchmarks and health checks. */
  stats(): ClientStats {
    return {
      ...this.counters,
      rateLimitWaits: this.pacer.stats.waits,
      rateLimitWaitMs: this.pacer.stats.waitedMs,
      rateLimitRefused: this.pacer.stats.refusedFast,
    }
  }

  /** What the pacer currently knows about the rate-limit window. */
  rateLimitState(): RateLimitState {
    return this.pacer.state()
  }

  /** Current OAuth tokens (undefined with a privileged token). */
  getTokens(): TradegeckoTokens | undefined {
    return this.auth.current()
  }

  /** Replace the OAuth tokens (e.g. after the merchant re-authorized). */
  setTokens(tokens: TradegeckoTokens): void {
    this.auth.setTokens(tokens)
  }

  /** Force a refresh now (single flight; onTokens is called). */
  refreshTokens(): Promise<TradegeckoTokens> {
    return this.auth.refresh()
  }

  /** Refuses new calls ("TradeGecko client closed"); calls already queued or in flight finish. */
  close(): Promise<void> {
    return this.pacer.stop()
  }

  private parseRecord<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
    const result = schema.safeParse(value)
    if (result.success) return result.data
    const issues = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
      .join("; ")
    if (this.options.responseValidation === "warn") {
      this.logger.warn(`TradeGecko response did not match its schema at ${where} — ${issues}`)
      return value as T
    }
    const [method = "GET", path = where] = where.split(" ")
    throw new TradegeckoResponseError(`TradeGecko returned an unexpected record at ${where} — ${issues}`, {
      method,
      path,
      body: value,
    })
  }
}
