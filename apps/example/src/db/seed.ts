import { hashPassword } from '../auth/password.js';
import type { Queryable } from './db.js';

/** The demo accounts the README's curl walkthrough signs in with. Public passwords: demo only. */
export const demoUsers = [
  { username: 'alice', password: 'wonderland', name: 'Alice Liddell', email: 'alice@example.com', role: 'editor' },
  { username: 'bob', password: 'builder', name: 'Bob Builder', email: 'bob@example.com', role: 'viewer' },
] as const;

/** Adds the demo users that are missing; existing rows (and changed passwords) are left alone. */
export async function seedDemoUsers(db: Queryable): Promise<void> {
  const existing = new Set(
    (await db.query<{ username: string }>('SELECT username FROM users WHERE username = ANY($1::text[])', [
      demoUsers.map((u) => u.username),
    ])).map((row) => row.username),
  );
  for (const user of demoUsers) {
    if (existing.has(user.username)) continue; // hashing is deliberately slow: skip it on restarts
    await db.query(
      `INSERT INTO users (username, name, email, role, password_hash) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (username) DO NOTHING`,
      [user.username, user.name, user.email, user.role, await hashPassword(user.password)],
    );
  }
}
