import { HttpError, Inject, Injectable, type Guard, type RequestContext } from '@cello/core';
import { kConfig, type ExampleConfig } from '../config.js';
import { signatureHeader, verifySignature } from './webhook-signature.js';

/**
 * Lets a webhook through only when its body is signed with the shared secret. Guards run before
 * the body is read; this one needs the body, so it says `readsBody` and runs once it is parsed,
 * still before validation. The signature covers the raw text (`req.text()`), not re-serialized
 * JSON, which may differ from what the sender signed in key order or whitespace.
 */
@Injectable()
export class WebhookSignatureGuard implements Guard {
  readonly readsBody = true;

  constructor(@Inject(kConfig) private readonly config: ExampleConfig) {}

  canActivate(ctx: RequestContext): boolean {
    const { request } = ctx;
    if (!verifySignature(this.config.webhookSecret, request.text(), request.header(signatureHeader))) {
      throw HttpError.unauthorized(`Missing or wrong ${signatureHeader} header: sha256=<hex HMAC-SHA256 of the body>`);
    }
    return true;
  }
}
