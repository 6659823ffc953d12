/**
 * Query parameters whose value never reaches a log line (compared case-insensitively). Names
 * ending in `token`, `secret`, `password` or `signature` are redacted too (`csrf_token`,
 * `client_secret`, `X-Amz-Signature`).
 */
export const redactedQueryParameters: readonly string[] = [
  'access_token', 'refresh_token', 'id_token', 'token', 'jwt', 'auth', 'authorization',
  'api_key', 'apikey', 'api-key', 'key', 'password', 'passwd', 'pwd', 'secret',
  'signature', 'sig', 'code', 'session', 'sessionid', 'credential', 'x-amz-credential',
];

const sensitiveSuffix = /(?:token|secret|password|signature)$/;

export const redacted = '[REDACTED]';

/** How a request's URL appears in log lines: the path only, or the query with secrets redacted. */
export type LoggableUrl = (url: string) => string;

export function pathOnly(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase(); // a malformed escape: compare as sent
  }
}

/** A `LoggableUrl` keeping the query as sent, except the values of sensitive parameters. */
export function redactingQuery(extra: readonly string[] = []): LoggableUrl {
  const names = new Set([...redactedQueryParameters, ...extra].map((n) => n.toLowerCase()));
  const isSensitive = (name: string): boolean => names.has(name) || sensitiveSuffix.test(name);
  return (url) => {
    const q = url.indexOf('?');
    if (q === -1) return url;
    const parts = url.slice(q + 1).split('&');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const eq = part.indexOf('=');
      if (eq !== -1 && isSensitive(decodeName(part.slice(0, eq)))) parts[i] = `${part.slice(0, eq + 1)}${redacted}`;
    }
    return `${url.slice(0, q + 1)}${parts.join('&')}`;
  };
}
