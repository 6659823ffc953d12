import { Singleton } from '@cello/core';
import { Database } from '../db/database.js';

export interface StoredEvent {
  id: number;
  /** False when the sender's event id was seen before (a retried delivery). */
  created: boolean;
}

@Singleton()
export class WebhookService {
  constructor(private readonly db: Database) {}

  /** Stores the event exactly as it was signed (`rawBody`); a repeated `eventId` is stored once. */
  async store(eventId: string | undefined, type: string, rawBody: string): Promise<StoredEvent> {
    const [inserted] = await this.db.query<{ id: number }>(
      `INSERT INTO webhook_events (event_id, type, payload) VALUES ($1, $2, $3::jsonb)
       ON CONFLICT (event_id) DO NOTHING RETURNING id`,
      [eventId ?? null, type, rawBody],
    );
    if (inserted !== undefined) return { id: inserted.id, created: true };
    const [existing] = await this.db.query<{ id: number }>('SELECT id FROM webhook_events WHERE event_id = $1', [eventId]);
    return { id: existing!.id, created: false };
  }
}
