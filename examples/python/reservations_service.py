"""The reservations-service of the example system, in Python: POST /reservations.

Same span names and answers as the TypeScript one: reservations_handler (SERVER) with children
parse_request, fetch_limit (CLIENT), fetch_reservations_count, make_reservation; the trace id is
returned in X-Trace-Id.
"""

import os
import random
import threading
import time

import requests
from flask import Flask, Response, request
from opentelemetry import trace
from opentelemetry.propagate import extract, inject
from opentelemetry.trace import format_trace_id

from tracing import max_sleep_seconds, serve, setup_tracing

provider, exporter_text = setup_tracing("reservations-service")
tracer = trace.get_tracer("tracehouse-examples")
app = Flask(__name__)
MAX_SLEEP = max_sleep_seconds()
USER_SERVICE_URL = os.environ.get("USER_SERVICE_URL", "http://localhost:8080").rstrip("/")
counts = {}
counts_lock = threading.Lock()


class BadRequest(Exception):
    pass


@tracer.start_as_current_span("parse_request")
def parse_request(body):
    time.sleep(random.random() * MAX_SLEEP)
    if not isinstance(body, dict):
        raise BadRequest("expected a JSON object")
    username, item_id = body.get("username"), body.get("item_id")
    if not isinstance(username, str) or not username:
        raise BadRequest('"username" must be a non-empty string')
    if not isinstance(item_id, (str, int, float)) or isinstance(item_id, bool):
        raise BadRequest('"item_id" must be a string or a number')
    return username, str(item_id)


@tracer.start_as_current_span("fetch_limit", kind=trace.SpanKind.CLIENT)
def fetch_limit(username):
    time.sleep(random.random() * MAX_SLEEP)
    # The sending half of context propagation: while fetch_limit is the current span, inject()
    # writes it into the headers as `traceparent`; the user-service continues the trace from it.
    headers = {"accept": "application/json"}
    inject(headers)
    span = trace.get_current_span()
    span.set_attributes({"http.request.method": "GET", "url.template": "/users/{username}/limits"})
    response = requests.get(f"{USER_SERVICE_URL}/users/{username}/limits", headers=headers, timeout=5)
    span.set_attribute("http.response.status_code", response.status_code)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return response.json()["limits"]["reservations"]


@tracer.start_as_current_span("fetch_reservations_count")
def fetch_reservations_count(username):
    time.sleep(random.random() * MAX_SLEEP)
    with counts_lock:
        return counts.get(username, 0)


@tracer.start_as_current_span("make_reservation")
def make_reservation(username, item_id):
    time.sleep(random.random() * MAX_SLEEP)
    trace.get_current_span().set_attribute("app.item_id", item_id)
    with counts_lock:
        counts[username] = counts.get(username, 0) + 1


def reserve(username, item_id):
    limit = fetch_limit(username)
    if limit is None:
        return "failure, limit not found"
    if fetch_reservations_count(username) >= limit:
        return "failure, limit exceeded"
    make_reservation(username, item_id)
    return "success"


@app.post("/reservations")
def reservations():
    with tracer.start_as_current_span(
        "reservations_handler",
        context=extract(request.headers),
        kind=trace.SpanKind.SERVER,
        attributes={"http.request.method": "POST", "http.route": "/reservations"},
    ) as span:
        trace_id = format_trace_id(span.get_span_context().trace_id)
        try:
            username, item_id = parse_request(request.get_json(silent=True))
            span.set_attribute("app.username", username)
            status, text = 200, reserve(username, item_id)
        except BadRequest as error:
            status, text = 400, f"failure, bad request: {error}"
        except requests.RequestException as error:
            status, text = 502, f"failure, user-service did not answer: {error}"
            span.set_status(trace.StatusCode.ERROR, text)
        span.set_attributes({"http.response.status_code": status, "app.reservation.outcome": text})
        return Response(text, status=status, mimetype="text/plain", headers={"X-Trace-Id": trace_id})


if __name__ == "__main__":
    serve(app, "reservations-service", 8081, provider, exporter_text)
