/**
 * The schema, as plain SQL that PostgreSQL and PGlite both run. Append new migrations; never
 * edit one that has shipped (`migrate.ts` records which ids ran and skips them).
 */
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    id: '001-initial-schema',
    sql: `
      CREATE TABLE users (
        id            serial PRIMARY KEY,
        username      text NOT NULL UNIQUE,
        name          text NOT NULL,
        email         text NOT NULL UNIQUE,
        role          text NOT NULL CHECK (role IN ('editor', 'viewer')),
        password_hash text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE items (
        id         serial PRIMARY KEY,
        sku        text NOT NULL UNIQUE,
        name       text NOT NULL,
        price      numeric(12, 2) NOT NULL CHECK (price >= 0),
        stock      integer NOT NULL CHECK (stock >= 0),
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE orders (
        id                    serial PRIMARY KEY,
        user_id               integer NOT NULL REFERENCES users (id),
        status                text NOT NULL DEFAULT 'created',
        -- Set by the inventory task, so a task that runs twice decrements stock once.
        inventory_applied_at  timestamptz,
        created_at            timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE order_items (
        order_id integer NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
        item_id  integer NOT NULL REFERENCES items (id),
        qty      integer NOT NULL CHECK (qty > 0),
        PRIMARY KEY (order_id, item_id)
      );

      -- The "email" outbox: a real deployment would have a worker deliver these rows.
      CREATE TABLE outbox (
        id         serial PRIMARY KEY,
        order_id   integer NOT NULL UNIQUE REFERENCES orders (id) ON DELETE CASCADE,
        recipient  text NOT NULL,
        subject    text NOT NULL,
        body       text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE webhook_events (
        id          serial PRIMARY KEY,
        -- The sender's own id: senders retry, and a retried event must be stored once.
        event_id    text UNIQUE,
        type        text NOT NULL,
        payload     jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
    `,
  },
];
