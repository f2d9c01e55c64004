import type { Component, TracesConsumer } from '../consumer/traces-consumer.js';

/** An exporter is the end of a pipeline: it consumes traces and has a lifetime. */
export interface TracesExporter extends TracesConsumer, Component {
  readonly component: string;
}
