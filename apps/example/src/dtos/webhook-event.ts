import { IsObject, IsOptional, IsString, Length } from 'class-validator';

/** The body of `POST /webhooks`: `{ "id": "evt_1", "type": "payment.succeeded", "data": { ... } }`. */
export class WebhookEvent {
  /** The sender's id for the event; a retried delivery with the same id is stored once. */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  id?: string;

  @IsString()
  @Length(1, 100)
  type!: string;

  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}
