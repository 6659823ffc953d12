import { Controller, Get, Public, SkipRateLimit } from '@cello/core';
import { versionInfo } from '../version-info.js';

// Probes and monitors call these often and carry no token: no JWT, no rate limit.
@Public()
@SkipRateLimit()
@Controller('/')
export class HealthController {
  // Synchronous handlers: Cello calls them directly, with no promise in between.
  @Get('/health', { summary: 'The process is up' })
  health() {
    return { status: 'ok' };
  }

  @Get('/version', { summary: 'Versions of the example, Cello and Node.js' })
  version() {
    return versionInfo;
  }
}
