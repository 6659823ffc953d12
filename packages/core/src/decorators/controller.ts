import { injectable } from 'tsyringe';
import { defineController } from '../metadata/controller-meta.js';
import type { ControllerOptions } from '../metadata/types.js';

/**
 * Marks a class as a controller whose routes live under `prefix`.
 * Its constructor parameters are injected by the app's container; one instance per app.
 *
 * @example
 * @Controller('/users')
 * class UsersController {
 *   constructor(private readonly users: UserService) {}
 *   @Get('/{id}') get(@Param('id') id: string) { return this.users.find(id); }
 * }
 */
export function Controller(prefix = '/', options: ControllerOptions = {}): ClassDecorator {
  const site = new Error('@Controller declared here');
  return (target) => {
    defineController(target, { prefix, options, site });
    injectable()(target as never);
  };
}
