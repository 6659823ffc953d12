import { Singleton } from '@cello/core';
import { Database } from '../db/database.js';
import type { Queryable } from '../db/db.js';

export type Role = 'editor' | 'viewer';

export interface User {
  id: number;
  username: string;
  name: string;
  email: string;
  role: Role;
}

// Never `SELECT *`: the password hash must not leak into a response by accident.
const columns = 'id, username, name, email, role';

@Singleton()
export class UserService {
  constructor(private readonly db: Database) {}

  all(): Promise<User[]> {
    return this.db.query<User>(`SELECT ${columns} FROM users ORDER BY id`);
  }

  /** `db` lets a caller use the connection it already holds (see `get-current-user.ts`). */
  async findById(id: number, db: Queryable = this.db): Promise<User | undefined> {
    const [user] = await db.query<User>(`SELECT ${columns} FROM users WHERE id = $1`, [id]);
    return user;
  }

  /** The user with their password hash, for signing in only. */
  async findCredentials(username: string): Promise<(User & { password_hash: string }) | undefined> {
    const [row] = await this.db.query<User & { password_hash: string }>(
      `SELECT ${columns}, password_hash FROM users WHERE username = $1`,
      [username],
    );
    return row;
  }
}
