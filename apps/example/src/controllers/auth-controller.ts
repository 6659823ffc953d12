import { Controller, Post, Public, RateLimit, RateLimitConfig } from '@cello/core';
import { Credentials } from '../dtos/credentials.js';
import { AuthService } from '../services/auth-service.js';

// Public: an old or broken token sent along must not stop anyone from getting a new one.
@Public()
@Controller('/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** `{ "username": "alice", "password": "wonderland" }` -> `{ "access_token": "<JWT>", ... }` */
  @Post('/token', { summary: 'Sign in: exchange a username and password for an access token' })
  // Per client IP, much stricter than the app's limit: this route is where passwords get guessed.
  @RateLimit(RateLimitConfig.slidingWindow({ requests: 10, window: 60 }))
  token(credentials: Credentials) {
    return this.auth.signIn(credentials.username, credentials.password);
  }
}
