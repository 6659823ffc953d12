import type { Db } from '../db/db.js';

/**
 * Background task: writes the order confirmation "email" to the outbox table (a mail worker
 * would deliver from there). Runs after the response, on its own connection from the pool:
 * the request's connection has been released by then. Safe to run twice (one row per order).
 */
export async function sendConfirmationEmail(db: Db, orderId: number): Promise<void> {
  const [order] = await db.query<{ email: string; name: string }>(
    'SELECT u.email, u.name FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = $1',
    [orderId],
  );
  if (order === undefined) throw new Error(`order ${orderId} vanished before its confirmation was sent`);
  const lines = await db.query<{ sku: string; name: string; qty: number }>(
    `SELECT i.sku, i.name, oi.qty FROM order_items oi JOIN items i ON i.id = oi.item_id
     WHERE oi.order_id = $1 ORDER BY i.sku`,
    [orderId],
  );
  const body = [`Hello ${order.name},`, '', `we received your order #${orderId}:`, ...lines.map((l) => `  ${l.qty} x ${l.name} (${l.sku})`)].join('\n');
  await db.query(
    `INSERT INTO outbox (order_id, recipient, subject, body) VALUES ($1, $2, $3, $4)
     ON CONFLICT (order_id) DO NOTHING`,
    [orderId, order.email, `Order #${orderId} confirmed`, body],
  );
}
