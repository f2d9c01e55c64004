import type { CollectorScenario } from './collector-messages.js';

/**
 * Each scenario's processors. `tail` is `processors` without the two that change spans, so the
 * tail sampler gets batches that still carry their received bytes (model/request-bytes.ts).
 */
const PROCESSORS: Record<CollectorScenario, readonly string[]> = {
  plain: ['batch'],
  processors: ['attributes', 'redaction', 'tail_sampling', 'batch'],
  tail: ['tail_sampling', 'batch'],
};

/**
 * The collector configs under test, as a user would write them: OTLP in on a free loopback port,
 * then the scenario's processors, then the `otlp` exporter to the sink (plaintext, uncompressed
 * on loopback). The exporter's sending queue is off so that back-pressure reaches the load
 * generator instead of turning into refusals once the queue is full: in a saturated steady state
 * a queue adds buffering, not throughput.
 */
export function collectorConfig(scenario: CollectorScenario, sink: string): string {
  const processors = PROCESSORS[scenario];
  return `
receivers:
  otlp:
    protocols:
      grpc: { endpoint: 127.0.0.1:0, max_recv_msg_size_mib: 16 }
      http: { endpoint: 127.0.0.1:0 }
processors:
  batch: { send_batch_size: 2048, timeout: 200ms }
  attributes:
    actions:
      - { key: deployment.environment, value: production, action: insert }
      - { key: user_agent.original, action: delete }
      - { key: url.path, action: hash }
  redaction:
    allow_all_keys: true
    blocked_values: ['\\b\\d{4}[- ]?\\d{4}[- ]?\\d{4}[- ]?\\d{4}\\b']
  tail_sampling:
    decision_wait: 1s
    num_traces: 50000
    policies:
      - { name: errors, type: status_code, status_code: { status_codes: [ERROR] } }
      - { name: slow, type: latency, latency: { threshold_ms: 2000 } }
      - { name: some, type: probabilistic, probabilistic: { sampling_percentage: 10 } }
exporters:
  otlp:
    endpoint: ${sink}
    tls: { insecure: true }
    compression: none
    sending_queue: { enabled: false }
service:
  pipelines:
    traces:
      receivers: [otlp]
      processors: [${processors.join(', ')}]
      exporters: [otlp]
`;
}
