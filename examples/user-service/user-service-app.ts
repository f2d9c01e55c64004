import { propagation, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import type { Express } from 'express';
import express from 'express';
import { examplesTracer } from '../tracing/traced.js';
import type { UserDirectory } from './user-directory.js';

/** The user-service's default port (the tutorial's). */
export const USER_SERVICE_PORT = 8080;

/**
 * `GET /users/:username/limits` → `{"username", "limits": {"reservations": N}}`, 404 for a user
 * that is malformed or unknown.
 *
 * Context propagation, the receiving half: the caller put its span's context in the `traceparent`
 * header; `propagation.extract` reads it back into a Context, and the handler's span starts as
 * its child. Without this step the span would start a new trace of its own.
 */
export function createUserServiceApp(directory: UserDirectory): Express {
  const app = express();
  app.get('/users/:username/limits', (req, res) => {
    const parentContext = propagation.extract(ROOT_CONTEXT, req.headers);
    const { username } = req.params;
    const attributes = {
      'http.request.method': 'GET',
      'http.route': '/users/:username/limits',
      'app.username': username,
    };
    return examplesTracer().startActiveSpan(
      'reservation_limits_handler',
      { kind: SpanKind.SERVER, attributes },
      parentContext,
      async (span) => {
        try {
          const record = (await directory.validateUsername(username))
            ? await directory.fetchRecord(username)
            : undefined;
          const status = record ? 200 : 404;
          span.setAttribute('http.response.status_code', status);
          if (record) res.json(record);
          else res.status(404).json({ error: `user "${username}" not found` });
        } finally {
          span.end();
        }
      },
    );
  });
  return app;
}
