import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261201121500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "tradegecko_settings" add column if not exists "price_lists" jsonb null, add column if not exists "sales_channel_id" text null;`
    )
    this.addSql(`alter table if exists "tradegecko_sync_run" add column if not exists "warnings" jsonb null;`)
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table if exists "tradegecko_settings" drop column if exists "price_lists", drop column if exists "sales_channel_id";`
    )
    this.addSql(`alter table if exists "tradegecko_sync_run" drop column if exists "warnings";`)
  }
}
