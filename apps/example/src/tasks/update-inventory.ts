import type { Db } from '../db/db.js';

/**
 * Background task: takes an order's quantities out of stock, once. Marking the order and
 * decrementing happen in one transaction, so a retried or duplicated task changes nothing, and
 * a CHECK (stock >= 0) failure (another order took the last units) rolls both back.
 */
export async function updateInventory(db: Db, orderId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const claimed = await tx.query(
      'UPDATE orders SET inventory_applied_at = now() WHERE id = $1 AND inventory_applied_at IS NULL RETURNING id',
      [orderId],
    );
    if (claimed.length === 0) return;
    await tx.query(
      `UPDATE items SET stock = items.stock - oi.qty
       FROM order_items oi WHERE oi.order_id = $1 AND oi.item_id = items.id`,
      [orderId],
    );
  });
}
