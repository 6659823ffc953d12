// NestJS on its default platform, express.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { host, port } from '../fixtures/port.js';
import { BenchModule } from './nest/bench-module.js';
import { validationPipe } from './nest/validation.js';

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BenchModule, { logger: false });
  app.useGlobalPipes(validationPipe());
  await app.listen(port, host);
}

void main();
