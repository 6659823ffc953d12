import { Controller, Guards, Post, Public, Request } from '@cello/core';
import { WebhookSignatureGuard } from '../auth/webhook-signature-guard.js';
import { WebhookEvent } from '../dtos/webhook-event.js';
import { WebhookService } from '../services/webhook-service.js';

// Senders prove who they are with a body signature, not a user's JWT.
@Public()
@Controller('/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookService) {}

  @Post('/', { status: 202, summary: 'Receive a signed event (x-signature: sha256=<hex HMAC of the body>)' })
  @Guards(WebhookSignatureGuard)
  async receive(event: WebhookEvent, req: Request) {
    const stored = await this.webhooks.store(event.id, event.type, req.text());
    return { received: true, id: stored.id, duplicate: !stored.created };
  }
}
