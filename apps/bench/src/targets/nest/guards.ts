// The NestJS guards of the guard and auth scenarios, written as the Nest docs write them.
import { CanActivate, ExecutionContext, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Claims } from '../../fixtures/jwt.js';

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: Claims;
}

/** The guard scenario's rule: an `x-role: editor` header (false -> Nest's 403). */
@Injectable()
export class EditorHeaderGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<HttpRequest>().headers['x-role'] === 'editor';
  }
}

/** Verifies the bearer token and sets `request.user`; a missing or bad token is 401. */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<HttpRequest>();
    const auth = req.headers.authorization;
    if (typeof auth !== 'string' || !auth.startsWith('Bearer ')) throw new UnauthorizedException();
    try {
      req.user = await this.jwt.verifyAsync<Claims>(auth.slice(7));
    } catch {
      throw new UnauthorizedException();
    }
    return true;
  }
}

const kRoles = 'roles';
export const Roles = (...roles: string[]) => SetMetadata(kRoles, roles);

/** Passes when `request.user` has one of the route's `@Roles()` (false -> 403). */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.get<string[] | undefined>(kRoles, context.getHandler());
    if (!roles) return true;
    const user = context.switchToHttp().getRequest<HttpRequest>().user;
    return user !== undefined && user.roles.some((r) => roles.includes(r));
  }
}
