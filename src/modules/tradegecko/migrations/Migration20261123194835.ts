import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261123194835 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "tradegecko_settings" add column if not exists "order_sync_from" text null;`)
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "tradegecko_settings" drop column if exists "order_sync_from";`)
  }
}
