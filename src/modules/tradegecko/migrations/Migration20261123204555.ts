import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261123204555 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table if exists "tradegecko_order_link" add column if not exists "review_reason" text null;`)
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "tradegecko_order_link" drop column if exists "review_reason";`)
  }
}
