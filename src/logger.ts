/** Structured logs to stderr: stdout belongs to the MCP stdio protocol. Secrets are redacted. */
import { pino, type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { service: 'vitrine' },
      redact: { paths: ['authorization', '*.authorization', 'token', '*.token', 'secret', '*.secret', 'key', '*.key'], censor: '[redacted]' },
    },
    pino.destination(2),
  );
}
