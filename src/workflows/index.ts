// Every workflow of the plugin, importable by host apps as
// `import { ... } from "medusa-plugin-tradegecko/workflows"`.
export * from "./sync-tradegecko-catalog"
export * from "./upsert-tradegecko-products"
export * from "./validate-cart-stock"
export * from "./prepare-cart-for-completion"
export { refreshVariantStock, refreshVariantStockStep } from "./steps/refresh-variant-stock"
export * from "./push-order-to-tradegecko"
