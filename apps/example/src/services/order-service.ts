import { HttpError, Singleton } from '@cello/core';
import { Database } from '../db/database.js';
import type { OrderLine } from '../dtos/order-line.js';

export interface OrderView {
  id: number;
  status: string;
  /** True once the confirmation task has written the "email" to the outbox. */
  confirmation_sent: boolean;
  /** `stock_left` is the item's stock now: lower once the inventory task has run. */
  items: { sku: string; qty: number; stock_left: number }[];
}

/** Adds up repeated skus, so `[pen x1, pen x2]` is one line of 3. */
function mergeLines(lines: readonly OrderLine[]): Map<string, number> {
  const merged = new Map<string, number>();
  for (const { sku, qty } of lines) merged.set(sku, (merged.get(sku) ?? 0) + qty);
  return merged;
}

@Singleton()
export class OrderService {
  constructor(private readonly db: Database) {}

  /**
   * Records an order and returns its id. Stock is checked here but taken by the inventory
   * background task, after the response; an order racing another for the last units can
   * therefore pass this check and then fail in the task (logged, stock never goes negative).
   */
  async create(userId: number, lines: readonly OrderLine[]): Promise<number> {
    const wanted = mergeLines(lines);
    return this.db.transaction(async (tx) => {
      const items = await tx.query<{ id: number; sku: string; stock: number }>(
        'SELECT id, sku, stock FROM items WHERE sku = ANY($1::text[])',
        [[...wanted.keys()]],
      );
      const bySku = new Map(items.map((item) => [item.sku, item]));
      const unknown = [...wanted.keys()].filter((sku) => !bySku.has(sku));
      if (unknown.length > 0) {
        throw HttpError.unprocessableEntity('Unknown items', [{ path: 'items', messages: unknown.map((sku) => `no item with sku "${sku}"`) }]);
      }
      const short = [...wanted].filter(([sku, qty]) => bySku.get(sku)!.stock < qty).map(([sku]) => sku);
      if (short.length > 0) throw HttpError.conflict(`Not enough stock for ${short.join(', ')}`);

      const [order] = await tx.query<{ id: number }>('INSERT INTO orders (user_id) VALUES ($1) RETURNING id', [userId]);
      for (const [sku, qty] of wanted) {
        await tx.query('INSERT INTO order_items (order_id, item_id, qty) VALUES ($1, $2, $3)', [order!.id, bySku.get(sku)!.id, qty]);
      }
      return order!.id;
    });
  }

  /** The order if it exists and belongs to `userId`; someone else's order is "not found" too. */
  async find(id: number, userId: number): Promise<OrderView | undefined> {
    const [order] = await this.db.query<{ id: number; status: string; confirmation_sent: boolean }>(
      `SELECT o.id, o.status, EXISTS (SELECT 1 FROM outbox WHERE outbox.order_id = o.id) AS confirmation_sent
       FROM orders o WHERE o.id = $1 AND o.user_id = $2`,
      [id, userId],
    );
    if (order === undefined) return undefined;
    const items = await this.db.query<OrderView['items'][number]>(
      `SELECT i.sku, oi.qty, i.stock AS stock_left
       FROM order_items oi JOIN items i ON i.id = oi.item_id
       WHERE oi.order_id = $1 ORDER BY i.sku`,
      [id],
    );
    return { ...order, items };
  }
}
