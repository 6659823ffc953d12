import { HttpError, Singleton } from '@cello/core';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { TokenService } from '../auth/token-service.js';
import { UserService } from './user-service.js';

// Checked when the username is unknown, so a wrong username takes as long as a wrong password
// and response times do not reveal which usernames exist. Made on first use, not at import.
let decoyHash: Promise<string> | undefined;

@Singleton()
export class AuthService {
  constructor(private readonly users: UserService, private readonly tokens: TokenService) {}

  /** Exchanges a username and password for an access token; 401 either way it fails. */
  async signIn(username: string, password: string) {
    const user = await this.users.findCredentials(username);
    const matches = await verifyPassword(password, user?.password_hash ?? (await (decoyHash ??= hashPassword('decoy: matches no password'))));
    if (user === undefined || !matches) {
      throw HttpError.unauthorized('Wrong username or password');
    }
    const { password_hash: _hash, ...profile } = user;
    return this.tokens.issue(profile);
  }
}
