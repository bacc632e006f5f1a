import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261201120607 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "tradegecko_settings" add column if not exists "auto_finalize_orders" boolean null, add column if not exists "auto_finalize_price_threshold" real null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table if exists "tradegecko_settings" drop column if exists "auto_finalize_orders", drop column if exists "auto_finalize_price_threshold";`
    )
  }
}
