import { Controller, Get, HttpError, Param } from '@cello/core';
import { isRowId } from '../db/db.js';
import { UserService } from '../services/user-service.js';

@Controller('/users')
export class UsersController {
  constructor(private readonly users: UserService) {}

  @Get('/', { summary: 'All users' })
  async list() {
    return { users: await this.users.all() };
  }

  @Get('/{id}', { summary: 'One user' })
  async get(@Param('id') id: number) {
    const user = isRowId(id) ? await this.users.findById(id) : undefined;
    if (user === undefined) throw HttpError.notFound('User not found');
    return { user };
  }
}
