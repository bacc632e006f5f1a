import { Migration } from "@medusajs/framework/mikro-orm/migrations"

export class Migration20261201123648 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table if exists "tradegecko_order_link" add column if not exists "last_push_status" integer null;`
    )
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "tradegecko_order_link" drop column if exists "last_push_status";`)
  }
}
