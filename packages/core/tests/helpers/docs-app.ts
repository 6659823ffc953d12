import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, ValidateNested,
} from 'class-validator';
import {
  App, Authenticated, Body, Controller, Delete, Get, Guards, Header, Param, Post, Public, Query, RateLimit,
  RateLimitConfig, Request, RoleGuard, SkipRateLimit, type DocsOptions,
} from '@cello/core';

export const jwtSecret = 'a-test-secret-that-is-long-enough-for-hs256!';

export class AddressDto {
  @IsString() @Length(1, 80) street!: string;
  @IsString() city!: string;
}

export class PhoneDto {
  @IsIn(['home', 'work']) kind!: string;
  @IsString() number!: string;
}

export class CreateUserDto {
  @IsString() @Length(1, 40) name!: string;
  @IsEmail() email!: string;
  @IsOptional() @IsInt() @Min(0) @Max(150) age?: number;
  @ValidateNested() @Type(() => AddressDto) address!: AddressDto;
  @IsArray() @ArrayMaxSize(5) @ValidateNested({ each: true }) @Type(() => PhoneDto) phones!: PhoneDto[];
  @IsOptional() @IsArray() @IsString({ each: true }) nicknames?: string[];
}

export class UserDto {
  @IsInt() id!: number;
  @IsString() name!: string;
  @IsEmail() email!: string;
}

export class ListUsersQuery {
  @IsOptional() @IsInt() @Min(1) page?: number;
  @IsOptional() @IsBoolean() active?: boolean;
  @IsOptional() @IsIn(['name', 'email']) sort?: string;
}

export class CredentialsDto {
  @IsString() username!: string;
  @IsString() password!: string;
}

@Controller('/users')
export class UsersController {
  @Get('/', { response: [UserDto], summary: 'List users' })
  list(@Query() query: ListUsersQuery) {
    return [{ id: query.page ?? 1, name: 'Ada', email: 'ada@example.com' }];
  }

  @Get('/{id}', { response: UserDto, summary: 'Get a user', description: 'One user by id.' })
  get(@Param('id') id: number, @Header('x-trace') trace: string) {
    return { id, name: 'Ada', email: 'ada@example.com', trace };
  }

  @Post('/', { status: 201, response: UserDto, summary: 'Create a user' })
  create(body: CreateUserDto) {
    return { id: 1, ...body };
  }

  @Delete('/{id}', { status: 204, guards: [new RoleGuard(['admin'])], deprecated: true })
  remove(@Param('id') _id: string) {}
}

@Controller('/auth', { tags: ['Auth'] })
export class AuthController {
  @Public()
  @RateLimit(RateLimitConfig.slidingWindow({ requests: 5, window: 60 }))
  @Post('/login', { summary: 'Log in' })
  login(@Body() credentials: CredentialsDto) {
    return { token: `token-for-${credentials.username}` };
  }
}

@Guards(Authenticated)
@Controller('/admin')
export class AdminController {
  @Get('/stats')
  stats() {
    return { users: 1 };
  }
}

@Public()
@SkipRateLimit()
@Controller('/')
export class HealthController {
  @Get('/health', { summary: 'Health check' })
  health() {
    return { ok: true };
  }
}

/**
 * The sample app of the docs tests: controllers with path, query, header and body parameters,
 * nested DTOs, response DTOs, guards, JWT, rate limits, a public route and functional routes.
 */
export function docsApp(docs: DocsOptions = { title: 'Sample API', version: '2.1.0', description: 'The docs test app.' }): App {
  const app = new App({ controllers: [UsersController, AuthController, AdminController, HealthController], logger: false, handleSignals: false });
  app.enableJwt({ secret: jwtSecret, algorithms: ['HS256'] });
  app.enableRateLimit(RateLimitConfig.tokenBucket({ requests: 3, window: 60 }));
  app.get('/items/{itemId}', (req: Request) => ({ id: req.params.itemId }), { public: true, tags: ['Items'] });
  app.post('/echo', (req: Request) => req.body, { summary: 'Echo the body' });
  app.enableDocs(docs);
  return app;
}
