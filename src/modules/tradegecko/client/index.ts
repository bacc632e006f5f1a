/**
 * TradeGecko HTTP client — public surface. Imports nothing from Medusa.
 */
export { TradegeckoClient } from "./tradegecko-client"
export {
  TradegeckoClientOptionsSchema,
  resolveClientOptions,
  type TradegeckoClientOptions,
  type ResolvedClientOptions,
} from "./client-options"
export * from "./errors"
export * from "./schemas"
export {
  TokenManager,
  buildAuthorizeUrl,
  exchangeAuthorizationCode,
  refreshAccessToken,
  normalizeExpiresAt,
  type TradegeckoTokens,
  type OnTokens,
  type RefreshCoordinator,
  type TokenEndpointConfig,
} from "./oauth"
export { MemoryRateBudgetStore, type RateBudgetStore } from "./budget"
export { RatePacer, parseRateLimitHeaders, type RateLimitState, type RateLimitHeaders, type PacerStats } from "./pacing"
export {
  parsePaginationHeader,
  isLastPage,
  paginate,
  chunk,
  serializeParams,
  MAX_PAGE_SIZE,
  MAX_IDS_PER_REQUEST,
  type QueryValue,
} from "./pagination"
export {
  ReadOnlyResource,
  CreatableResource,
  CrudResource,
  OrdersResource,
  AccountsResource,
  type RecordId,
  type IdFilter,
  type ListParams,
  type CommonListParams,
  type ListPage,
  type SingleResult,
  type GetOptions,
  type WriteOptions,
  type UpdateOptions,
  type PagesOptions,
  type GetManyOptions,
  type OrderActionResult,
  type ProductFilters,
  type VariantFilters,
  type OrderFilters,
  type OrderChildFilters,
  type CompanyChildFilters,
  type CompanyFilters,
  type ImageFilters,
  type StockLevelFilters,
} from "./resources"
export type { ClientStats, RawResponse, RequestOptions } from "./transport"
export type { TradegeckoLogger, TradegeckoLoggerInput } from "./logger"
export {
  verifyWebhookSignature,
  computeWebhookSignature,
  parseWebhookNotification,
  parseResourceUrl,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_DELIVERY_HEADER,
} from "./webhooks"
