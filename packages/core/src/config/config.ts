import { fromEnv } from './from-env.js';
import { boolean, envVarOf, int, number, oneOf, string, url } from './var-types.js';

/**
 * Configuration from the environment.
 *
 * @example
 * const config = Config.fromEnv({ extra: { API_KEY: Config.string({ secret: true }), MAX_ITEMS: Config.int({ min: 1, default: 100 }) } });
 * const app = new App({ ...config, controllers: [ItemsController] });
 * config.extra.MAX_ITEMS; // number
 */
export const Config = Object.freeze({
  fromEnv,
  string,
  int,
  number,
  boolean,
  url,
  oneOf,
  /** A type of your own: `Config.custom('a duration like 5s', {}, (text) => parse(text))` (undefined: refused). */
  custom: envVarOf,
});
