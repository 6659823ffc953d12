import { Controller, Depends, Get } from '@cello/core';
import { getCurrentUser } from '../auth/get-current-user.js';
import type { DbConnection } from '../db/db.js';
import { getDb } from '../db/get-db.js';
import type { User } from '../services/user-service.js';

@Controller('/profile')
export class ProfileController {
  /**
   * `getCurrentUser` resolves `getDb` itself; asking for `getDb` here too gets the very same
   * connection (a dependency runs once per request), released after the response is sent.
   */
  @Get('/', { summary: 'The signed-in user (needs a bearer token)' })
  async profile(@Depends(getCurrentUser) user: User, @Depends(getDb) db: DbConnection) {
    const [counts] = await db.query<{ orders: number }>('SELECT count(*)::int AS orders FROM orders WHERE user_id = $1', [user.id]);
    return { ...user, orders: counts!.orders };
  }
}
