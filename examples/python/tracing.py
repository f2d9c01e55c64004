"""Tracing set-up shared by the two Python services, the same pipeline as the TypeScript pair.

service.name resource -> sampler from OTEL_TRACES_SAMPLER (read by the SDK itself) ->
BatchSpanProcessor -> ConsoleSpanExporter or OTLP/HTTP (protobuf), chosen by the environment:

- OTEL_TRACES_EXPORTER = console | otlp | none; unset: otlp when an endpoint is set, else console;
- OTEL_COLLECTOR_ENDPOINT (the tutorial's variable, host:port or URL) or the standard
  OTEL_EXPORTER_OTLP_ENDPOINT: the collector's OTLP/HTTP address (/v1/traces is appended).

The W3C Trace Context propagator is installed explicitly: the services inject and extract
`traceparent` by hand, with no auto-instrumentation.
"""

import os

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.propagate import set_global_textmap
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator


def _endpoint():
    endpoint = os.environ.get("OTEL_COLLECTOR_ENDPOINT") or os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
    if not endpoint:
        return None
    if "://" not in endpoint:
        endpoint = "http://" + endpoint
    return endpoint.rstrip("/") + "/v1/traces"


def setup_tracing(default_service_name):
    """Registers the global tracer provider; returns it (call shutdown() to flush at exit)."""
    service_name = os.environ.get("OTEL_SERVICE_NAME") or default_service_name
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))
    endpoint = _endpoint()
    kind = (os.environ.get("OTEL_TRACES_EXPORTER") or ("otlp" if endpoint else "console")).strip().lower()
    if kind == "otlp":
        exporter = OTLPSpanExporter(endpoint=endpoint) if endpoint else OTLPSpanExporter()
        provider.add_span_processor(BatchSpanProcessor(exporter))
    elif kind == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    elif kind != "none":
        raise SystemExit(f'OTEL_TRACES_EXPORTER="{kind}": expected console, otlp or none')
    trace.set_tracer_provider(provider)
    set_global_textmap(TraceContextTextMapPropagator())
    return provider, f"{kind} {endpoint or ''}".strip()


def max_sleep_seconds():
    """EXAMPLE_MAX_SLEEP_MS (default 100): the longest random pause of each step."""
    return float(os.environ.get("EXAMPLE_MAX_SLEEP_MS", "100")) / 1000


def serve(app, name, default_port, provider, exporter_text):
    """Serves `app` on HOST:PORT (0 = a free port), prints the start-up line the demo and the
    tests wait for, and on SIGINT/SIGTERM stops and exports the spans still queued."""
    import signal
    import sys

    from werkzeug.serving import make_server

    host = os.environ.get("HOST", "0.0.0.0")
    server = make_server(host, int(os.environ.get("PORT", str(default_port))), app, threaded=True)
    print(f"{name} listening on http://{host}:{server.server_port} (spans: {exporter_text})", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        provider.shutdown()
