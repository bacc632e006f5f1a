// Every workflow of the plugin, importable by host apps as
// `import { ... } from "medusa-plugin-tradegecko/workflows"`.
export * from "./catalog/sync-tradegecko-catalog"
export * from "./catalog/upsert-tradegecko-products"
export * from "./catalog/list-failed-products"
export * from "./checkout/validate-cart-stock"
export * from "./checkout/prepare-cart-for-completion"
export { refreshVariantStock, refreshVariantStockStep } from "./checkout/steps/refresh-variant-stock"
export * from "./orders/push-order-to-tradegecko"
