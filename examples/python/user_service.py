"""The user-service of the example system, in Python: GET /users/<username>/limits.

Same span names as the TypeScript one: reservation_limits_handler (SERVER, continuing the caller's
trace), validate_username, fetch_record.
"""

import os
import random
import re
import time

from flask import Flask, jsonify, request
from opentelemetry import trace
from opentelemetry.propagate import extract

from tracing import max_sleep_seconds, serve, setup_tracing

provider, exporter_text = setup_tracing("user-service")
tracer = trace.get_tracer("tracehouse-examples")
app = Flask(__name__)
MAX_SLEEP = max_sleep_seconds()
UNKNOWN_USERS = {n.strip().lower() for n in os.environ.get("UNKNOWN_USERS", "ghost,nobody,unknown").split(",") if n.strip()}


@tracer.start_as_current_span("validate_username")
def validate_username(username):
    time.sleep(random.random() * MAX_SLEEP)
    valid = re.fullmatch(r"[A-Za-z]+", username) is not None
    trace.get_current_span().set_attribute("app.username.valid", valid)
    return valid


@tracer.start_as_current_span("fetch_record")
def fetch_record(username):
    time.sleep(random.random() * MAX_SLEEP)
    found = username.lower() not in UNKNOWN_USERS
    trace.get_current_span().set_attribute("app.user.found", found)
    return {"username": username, "limits": {"reservations": len(username)}} if found else None


@app.get("/users/<username>/limits")
def reservation_limits(username):
    # The receiving half of context propagation: read `traceparent` back into a Context and
    # start the handler's span as a child of the caller's fetch_limit span.
    parent = extract(request.headers)
    with tracer.start_as_current_span(
        "reservation_limits_handler",
        context=parent,
        kind=trace.SpanKind.SERVER,
        attributes={"http.request.method": "GET", "http.route": "/users/<username>/limits"},
    ) as span:
        record = fetch_record(username) if validate_username(username) else None
        status = 200 if record else 404
        span.set_attribute("http.response.status_code", status)
        if record:
            return jsonify(record)
        return jsonify({"error": f'user "{username}" not found'}), 404


if __name__ == "__main__":
    serve(app, "user-service", 8080, provider, exporter_text)
