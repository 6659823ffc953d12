import { App, Controller, Get, HttpError, Param, Post, Response, Singleton } from '@cello/core';
import { IsInt, IsString, Length, Min } from 'class-validator';

export class CreateUser {
  @IsString()
  @Length(1, 80)
  name!: string;

  @IsInt()
  @Min(0)
  age!: number;
}

interface User {
  id: number;
  name: string;
  age: number;
}

@Singleton()
export class UserStore {
  readonly #users = new Map<number, User>([[1, { id: 1, name: 'Alice', age: 36 }]]);
  #nextId = 2;

  all(): User[] {
    return [...this.#users.values()];
  }

  find(id: number): User | undefined {
    return this.#users.get(id);
  }

  add(input: CreateUser): User {
    const user = { id: this.#nextId++, name: input.name, age: input.age };
    this.#users.set(user.id, user);
    return user;
  }
}

@Controller('/users')
export class UsersController {
  constructor(private readonly users: UserStore) {}

  @Get('/')
  list() {
    return { users: this.users.all() };
  }

  @Get('/{id}')
  get(@Param('id') id: number) {
    const user = this.users.find(id);
    if (!user) throw HttpError.notFound('User not found');
    return { user };
  }

  @Post('/')
  create(input: CreateUser) {
    const user = this.users.add(input);
    return Response.json({ user }, { status: 201, headers: { location: `/users/${user.id}` } });
  }
}

/** Builds the example app; `main.ts` listens, tests inject. */
export function createApp(options: { logger?: boolean } = {}): App {
  const app = new App({ controllers: [UsersController], logger: options.logger });
  app.get('/hello', () => ({ message: 'Hello, World!' }));
  app.get('/health', () => ({ status: 'ok' }));
  app.get('/version', () => ({ name: '@cello/example', version: '0.1.0' }));
  return app;
}
